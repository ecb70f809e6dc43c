package dev.strand.e2e.connections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.server.Server;
import dev.strand.testing.EchoService;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.netty.handler.codec.http2.Http2Error;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A9's MAX_CONNECTION_IDLE: a connection with no calls for the idle time is ended with the graceful
 * two-phase GOAWAY (NO_ERROR), never one with a call in flight; a grpc-java channel goes IDLE and
 * reconnects on its next call.
 */
@Timeout(30)
class MaxConnectionIdleTest {
  private static final Duration IDLE = Duration.ofMillis(400);

  /** ConnectionLifecycle.GOAWAY_PING_DATA: "StrndGOA". */
  private static final long GOAWAY_PING = 0x5374726e64474f41L;

  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    server =
        Server.builder()
            .address("127.0.0.1", 0)
            .service(EchoService.definition())
            .maxConnectionIdle(IDLE)
            .start();
    channel = GrpcJavaEcho.channel(server.port()).build();
  }

  @AfterEach
  void stop() throws InterruptedException {
    GrpcJavaEcho.close(channel);
    server.shutdownNow();
    server.awaitTermination(Duration.ofSeconds(5));
  }

  @Test
  void idleGrpcJavaConnectionIsClosedAndComesBack() throws Exception {
    assertEquals("echo:hi", GrpcJavaEcho.unary(channel, "hi", Duration.ofSeconds(5)));
    long idleSince = System.nanoTime();
    CountDownLatch lost = new CountDownLatch(1);
    channel.notifyWhenStateChanged(ConnectivityState.READY, lost::countDown);

    assertTrue(lost.await(5, TimeUnit.SECONDS), "the idle connection was not closed");
    long after = (System.nanoTime() - idleSince) / 1_000_000;
    assertTrue(after >= IDLE.toMillis() - 50, "closed before the idle time: " + after + " ms");
    assertEquals("echo:back", GrpcJavaEcho.unary(channel, "back", Duration.ofSeconds(5)));
    System.out.println("[idle] grpc-java connection left READY " + after + " ms after its call");
  }

  @Test
  void callInFlightIsNeverIdle() throws Exception {
    assertEquals("echo:hi", GrpcJavaEcho.unary(channel, "hi", Duration.ofSeconds(5)));
    AtomicLong lostAt = new AtomicLong();
    CountDownLatch lost = new CountDownLatch(1);
    channel.notifyWhenStateChanged(
        ConnectivityState.READY,
        () -> {
          lostAt.set(System.nanoTime());
          lost.countDown();
        });

    // Three idle times long: the connection must stay while it runs.
    assertEquals(
        "echo:sleep:1200", GrpcJavaEcho.unary(channel, "sleep:1200", Duration.ofSeconds(5)));
    long callEnded = System.nanoTime();
    assertTrue(lost.await(5, TimeUnit.SECONDS), "not closed once idle after the call");
    assertTrue(
        lostAt.get() - callEnded >= TimeUnit.MILLISECONDS.toNanos(IDLE.toMillis() - 50),
        "closed while the call ran, or too soon after it");
  }

  @Test
  void idleGoAwayIsTwoPhase() throws Exception {
    try (RawPeer peer = RawPeer.connect(server.port(), RawPeer.Options.polite())) {
      assertTrue(peer.awaitClosed(Duration.ofSeconds(5)), "idle peer not closed: " + peer.log());
      List<PeerLog.GoAway> goAways = peer.log().goAways();
      assertEquals(2, goAways.size(), goAways.toString());
      assertEquals(Integer.MAX_VALUE, goAways.get(0).lastStreamId(), goAways.toString());
      assertEquals(0, goAways.get(1).lastStreamId(), goAways.toString());
      for (PeerLog.GoAway g : goAways) {
        assertTrue(g.is(Http2Error.NO_ERROR), g.toString());
      }
      assertTrue(
          peer.log().pings().stream().anyMatch(p -> p.data() == GOAWAY_PING),
          "no PING between the GOAWAYs: " + peer.log());
      System.out.println("[idle] raw peer saw " + goAways + " (A9 suggests debug data 'max_idle')");
    }
  }
}
