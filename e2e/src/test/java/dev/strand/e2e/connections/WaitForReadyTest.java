package dev.strand.e2e.connections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.Status;
import dev.strand.StatusException;
import dev.strand.client.Backoff;
import dev.strand.client.CallOptions;
import dev.strand.client.Channel;
import dev.strand.client.ManagedChannel;
import dev.strand.server.Server;
import dev.strand.stub.ClientCalls;
import dev.strand.testing.EchoService;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * wait-for-ready.md with a Strand channel whose server is down: a default (fail-fast) call fails at
 * once with UNAVAILABLE; a wait-for-ready call waits and succeeds when the server comes up, or
 * fails with DEADLINE_EXCEEDED when its deadline comes first.
 */
@Timeout(30)
class WaitForReadyTest {
  private static final Backoff BACKOFF =
      new Backoff(Duration.ofMillis(100), 1.6, 0.2, Duration.ofMillis(500), Duration.ofSeconds(20));

  @Test
  void failFastFailsWaitForReadyWaits() throws Exception {
    int port = ReconnectBackoffTest.deadPort();
    ManagedChannel channel = Channel.to("127.0.0.1", port).plaintext().backoff(BACKOFF).build();
    Server server = null;
    try {
      long start = System.nanoTime();
      StatusException failFast =
          assertThrows(
              StatusException.class,
              () ->
                  ClientCalls.blockingUnary(
                      channel,
                      EchoService.UNARY,
                      CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(10)),
                      "fast"));
      assertEquals(Status.Code.UNAVAILABLE, failFast.code(), failFast.toString());
      assertTrue(
          System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3),
          "fail-fast should not wait for its deadline");

      StatusException expired =
          assertThrows(
              StatusException.class,
              () ->
                  ClientCalls.blockingUnary(
                      channel,
                      EchoService.UNARY,
                      CallOptions.DEFAULT.withWaitForReady().withTimeout(Duration.ofMillis(400)),
                      "expires"));
      assertEquals(Status.Code.DEADLINE_EXCEEDED, expired.code(), expired.toString());

      CompletableFuture<String> waiting =
          ClientCalls.futureUnary(
              channel,
              EchoService.UNARY,
              CallOptions.DEFAULT.withWaitForReady().withTimeout(Duration.ofSeconds(10)),
              "patient");
      Thread.sleep(500);
      assertTrue(!waiting.isDone(), "the wait-for-ready call did not wait: " + waiting);
      server =
          Server.builder().address("127.0.0.1", port).service(EchoService.definition()).start();
      long up = System.nanoTime();
      // The next attempt comes within one (capped, 500 ms + 20%) backoff of the server starting.
      assertEquals("echo:patient", waiting.get(5, TimeUnit.SECONDS));
      long waited = (System.nanoTime() - up) / 1_000_000;
      System.out.println("[wait-for-ready] served " + waited + " ms after the server came up");
      assertTrue(waited < 600 + 400, "took " + waited + " ms after the server came up");
    } finally {
      channel.shutdownNow();
      channel.awaitTermination(Duration.ofSeconds(5));
      if (server != null) {
        server.shutdownNow();
        server.awaitTermination(Duration.ofSeconds(5));
      }
    }
  }
}
