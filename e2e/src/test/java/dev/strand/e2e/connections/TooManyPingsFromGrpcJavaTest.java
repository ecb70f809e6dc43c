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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A8's server enforcement against the reference client: a grpc-java channel that pings more often
 * than the Strand server permits is sent GOAWAY ENHANCE_YOUR_CALM "too_many_pings", which grpc-java
 * logs and answers by doubling its keepalive time; the channel then reconnects and works. A client
 * within the permitted rate is left alone.
 */
@Timeout(30)
class TooManyPingsFromGrpcJavaTest {
  private static final String CLIENT_HANDLER_LOG =
      "io.grpc.netty.shaded.io.grpc.netty.NettyClientHandler";
  private static final String BACKOFF_LOG = "io.grpc.internal.AtomicBackoff";
  private Server server;
  private ManagedChannel channel;

  @AfterEach
  void stop() throws InterruptedException {
    GrpcJavaEcho.close(channel);
    if (server != null) {
      server.shutdownNow();
      server.awaitTermination(Duration.ofSeconds(5));
    }
  }

  @Test
  void pingingWithoutCallsIsTooManyPings() throws Exception {
    // Strand's defaults: pings at most every 5 minutes, and not at all without calls (2 h).
    server = Server.builder().address("127.0.0.1", 0).service(EchoService.definition()).start();
    try (JulCapture goAways = JulCapture.of(CLIENT_HANDLER_LOG);
        JulCapture backoff = JulCapture.of(BACKOFF_LOG)) {
      channel =
          GrpcJavaKeepAlive.pingingEvery(
                  GrpcJavaEcho.channel(server.port()), Duration.ofMillis(100))
              .build();
      assertEquals("echo:hi", GrpcJavaEcho.unary(channel, "hi", Duration.ofSeconds(5)));
      CountDownLatch leftReady = whenLeaves(ConnectivityState.READY);

      // One good ping, two strikes, and the third strike is the end: ~400 ms at 100 ms.
      assertTrue(
          goAways.await("too_many_pings", Duration.ofSeconds(5)),
          "no too_many_pings GOAWAY; grpc-java logged " + goAways.messages());
      assertTrue(
          goAways
              .messages()
              .contains("Received GOAWAY with ENHANCE_YOUR_CALM. Debug data: too_many_pings"),
          goAways.messages().toString());
      assertTrue(
          backoff.await("Increased keepalive time nanos", Duration.ofSeconds(1)),
          "grpc-java did not double its keepalive time: " + backoff.messages());
      assertTrue(leftReady.await(5, TimeUnit.SECONDS), "the channel kept its connection");
      // The channel recovers on a new connection.
      assertEquals("echo:again", GrpcJavaEcho.unary(channel, "again", Duration.ofSeconds(5)));
    }
  }

  @Test
  void pingingWithinThePermitIsFine() throws Exception {
    server =
        Server.builder()
            .address("127.0.0.1", 0)
            .service(EchoService.definition())
            .permitKeepAlive(Duration.ofMillis(50), true)
            .start();
    try (JulCapture goAways = JulCapture.of(CLIENT_HANDLER_LOG)) {
      channel =
          GrpcJavaKeepAlive.pingingEvery(
                  GrpcJavaEcho.channel(server.port()), Duration.ofMillis(150))
              .build();
      assertEquals("echo:hi", GrpcJavaEcho.unary(channel, "hi", Duration.ofSeconds(5)));
      CountDownLatch leftReady = whenLeaves(ConnectivityState.READY);

      // About ten pings, every one permitted: the connection stays.
      assertFalse(
          leftReady.await(1500, TimeUnit.MILLISECONDS),
          "the connection was lost; grpc-java logged " + goAways.messages());
      assertTrue(goAways.messages().isEmpty(), goAways.messages().toString());
      assertEquals("echo:again", GrpcJavaEcho.unary(channel, "again", Duration.ofSeconds(5)));
    }
  }

  private CountDownLatch whenLeaves(ConnectivityState state) {
    CountDownLatch left = new CountDownLatch(1);
    assertEquals(state, channel.getState(false));
    channel.notifyWhenStateChanged(state, left::countDown);
    return left;
  }
}
