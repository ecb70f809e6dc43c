package dev.strand.e2e.connections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.server.Server;
import dev.strand.testing.EchoService;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A9's server keepalive: the Strand server pings a quiet connection every keepAlive time and closes
 * it when a ping goes unanswered for the keepalive timeout, so a client that vanished without a FIN
 * (or stopped answering) does not hold its connection forever. Clients that answer - a raw peer and
 * grpc-java - keep theirs.
 */
@Timeout(30)
class ServerKeepAliveTest {
  private static final Duration TIME = Duration.ofMillis(300);
  private static final Duration TIMEOUT = Duration.ofMillis(300);

  /** KeepAlivePinger.PING_DATA: Strand's keepalive pings carry "StrndKA1". */
  private static final long KEEPALIVE_PING = 0x5374726e644b4131L;

  @Test
  void deadClientIsDisconnectedLiveOnesStay() throws Exception {
    Server server =
        Server.builder()
            .address("127.0.0.1", 0)
            .service(EchoService.definition())
            .keepAlive(TIME, TIMEOUT)
            .start();
    ManagedChannel grpcJava = GrpcJavaEcho.channel(server.port()).build();
    long start = System.nanoTime(); // before the peers connect: their quiet time starts there
    try (RawPeer answering = RawPeer.connect(server.port(), RawPeer.Options.polite());
        RawPeer dead = RawPeer.connect(server.port(), RawPeer.Options.polite().ignoringPings())) {
      assertEquals("echo:hi", GrpcJavaEcho.unary(grpcJava, "hi", Duration.ofSeconds(5)));
      CountDownLatch grpcJavaLost = new CountDownLatch(1);
      grpcJava.notifyWhenStateChanged(ConnectivityState.READY, grpcJavaLost::countDown);

      // The silent peer: pinged after ~300 ms of quiet, closed ~300 ms later.
      assertTrue(
          dead.awaitClosed(Duration.ofSeconds(5)),
          "a peer that never answers pings is still connected: " + dead.log());
      long closedAfter = (System.nanoTime() - start) / 1_000_000;
      assertTrue(
          dead.log().pings().stream().anyMatch(p -> p.data() == KEEPALIVE_PING),
          "closed without a keepalive ping first: " + dead.log());
      assertTrue(
          closedAfter >= TIME.plus(TIMEOUT).toMillis() - 100,
          "closed too early: " + closedAfter + " ms");

      // The others answer: after ~2 s, several pings each and still connected.
      assertFalse(grpcJavaLost.await(2, TimeUnit.SECONDS), "grpc-java lost its connection");
      assertFalse(answering.isClosed(), "an answering peer was disconnected: " + answering.log());
      assertTrue(answering.log().pings().size() >= 3, "too few pings: " + answering.log());
      assertEquals("echo:again", GrpcJavaEcho.unary(grpcJava, "again", Duration.ofSeconds(5)));
      System.out.println(
          "[keepalive] dead peer closed after "
              + closedAfter
              + " ms; answering"
              + " peer got "
              + answering.log().pings().size()
              + " pings and stayed");
    } finally {
      GrpcJavaEcho.close(grpcJava);
      server.shutdownNow();
      server.awaitTermination(Duration.ofSeconds(5));
    }
  }
}
