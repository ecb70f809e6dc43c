package dev.strand;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.client.Backoff;
import dev.strand.client.CallOptions;
import dev.strand.client.Channel;
import dev.strand.client.ManagedChannel;
import dev.strand.server.Server;
import dev.strand.stub.ClientCalls;
import dev.strand.testing.EchoService;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConnectivityTest {
  static final Backoff FAST =
      new Backoff(Duration.ofMillis(50), 1.6, 0.2, Duration.ofMillis(200), Duration.ofSeconds(20));

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void failFastThenWaitForReadyCallSucceedsOnceTheServerComesUp() throws Exception {
    int port = freePort();
    try (ManagedChannel channel = Channel.to("127.0.0.1", port).plaintext().backoff(FAST).build()) {
      assertEquals(ConnectivityState.IDLE, channel.state(false));
      StatusException e =
          assertThrows(
              StatusException.class,
              () ->
                  ClientCalls.blockingUnary(channel, EchoService.UNARY, CallOptions.DEFAULT, "x"));
      assertEquals(Status.Code.UNAVAILABLE, e.code());
      ConnectivityState now = channel.state(false);
      assertTrue(
          now == ConnectivityState.TRANSIENT_FAILURE || now == ConnectivityState.CONNECTING,
          now.name());

      CompletableFuture<String> waiting =
          ClientCalls.futureUnary(
              channel,
              EchoService.UNARY,
              CallOptions.DEFAULT.withWaitForReady().withTimeout(Duration.ofSeconds(20)),
              "w");
      Thread.sleep(300); // several failed attempts go by; the call must still be waiting
      assertTrue(!waiting.isDone(), "wait-for-ready call failed early: " + waiting);

      try (Server server =
          Server.builder().address("127.0.0.1", port).service(EchoService.definition()).start()) {
        assertEquals("echo:w", waiting.get(10, TimeUnit.SECONDS));
        assertEquals(ConnectivityState.READY, channel.state(false));
      }
    }
  }

  @Test
  void stateChangesAreObservable() throws Exception {
    try (Server server =
            Server.builder().address("127.0.0.1", 0).service(EchoService.definition()).start();
        ManagedChannel channel = Channel.to("127.0.0.1", server.port()).plaintext().build()) {
      CountDownLatch leftIdle = new CountDownLatch(1);
      channel.notifyWhenStateChanged(ConnectivityState.IDLE, leftIdle::countDown);
      channel.state(true);
      assertTrue(leftIdle.await(5, TimeUnit.SECONDS));
      CountDownLatch shutdown = new CountDownLatch(1);
      channel.notifyWhenStateChanged(channel.state(false), shutdown::countDown);
      channel.shutdown();
      assertTrue(shutdown.await(5, TimeUnit.SECONDS));
      assertEquals(ConnectivityState.SHUTDOWN, channel.state(false));
    }
  }

  @Test
  void backoffGrowsToItsMaximumWithJitterInBounds() {
    Backoff b = Backoff.DEFAULT;
    Duration d = b.initial();
    for (int i = 0; i < 20; i++) {
      d = b.next(d);
    }
    assertEquals(Duration.ofSeconds(120), d);
    for (int i = 0; i < 100; i++) {
      long ms = b.jittered(Duration.ofSeconds(10)).toMillis();
      assertTrue(ms >= 8000 && ms <= 12000, "jittered " + ms);
    }
    assertEquals(1600, b.next(Duration.ofSeconds(1)).toMillis());
  }
}
