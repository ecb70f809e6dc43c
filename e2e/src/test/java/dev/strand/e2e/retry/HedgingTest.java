package dev.strand.e2e.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.client.CallOptions;
import dev.strand.client.Channel;
import dev.strand.client.ManagedChannel;
import dev.strand.server.Server;
import dev.strand.stub.ClientCalls;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hedging (A6): a first attempt the server sits on does not hold the call back; the hedge sent
 * after the delay answers, wins, and the slow attempt is cancelled on the server.
 */
@Timeout(30)
class HedgingTest {

  @Test
  void theHedgeWinsAndTheSlowAttemptIsCancelled() throws Exception {
    Flaky flaky = new Flaky();
    try (Server server =
        Server.builder().address("127.0.0.1", 0).service(flaky.definition()).start()) {
      ManagedChannel channel =
          Channel.to("127.0.0.1", server.port())
              .plaintext()
              .defaultServiceConfig(
                  """
                  {"methodConfig": [{
                    "name": [{"service": "strand.test.Flaky", "method": "SlowFirst"}],
                    "hedgingPolicy": {"maxAttempts": 3, "hedgingDelay": "0.1s"}
                  }]}
                  """)
              .build();
      try {
        long start = System.nanoTime();
        String answer =
            ClientCalls.blockingUnary(
                channel,
                Flaky.SLOW_FIRST,
                CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(10)),
                "hedged");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals("fast:1", answer, "the second attempt answered");
        assertTrue(millis >= 90 && millis < 2_000, "after the hedging delay: " + millis + " ms");
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (flaky.cancelledSlowAttempts.isEmpty() && System.nanoTime() < deadline) {
          Thread.sleep(10);
        }
        assertEquals(1, flaky.cancelledSlowAttempts.size(), "the slow attempt was cancelled");
        assertEquals(2, flaky.attempts(Flaky.SLOW_FIRST), "no third hedge after the winner");
      } finally {
        channel.shutdownNow();
        channel.awaitTermination(Duration.ofSeconds(5));
      }
    }
  }

  /**
   * Every call's first attempt is cancelled by its hedge: 600 cancels in a few seconds, three times
   * the server's Rapid Reset limit of 200 per 30 s. The server's budget counts the calls it
   * completes too, so a hedging client is not mistaken for an attacker.
   */
  @Test
  void aServerDoesNotCutOffAClientWhoseHedgesCancelAttempts() throws Exception {
    Flaky flaky = new Flaky();
    try (Server server =
        Server.builder().address("127.0.0.1", 0).service(flaky.definition()).start()) {
      ManagedChannel channel =
          Channel.to("127.0.0.1", server.port())
              .plaintext()
              .defaultServiceConfig(
                  """
                  {"methodConfig": [{
                    "name": [{"service": "strand.test.Flaky", "method": "SlowFirst"}],
                    "hedgingPolicy": {"maxAttempts": 2, "hedgingDelay": "0.002s"}
                  }]}
                  """)
              .build();
      try {
        for (int i = 0; i < 600; i++) {
          assertEquals(
              "fast:1",
              ClientCalls.blockingUnary(
                  channel,
                  Flaky.SLOW_FIRST,
                  CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(10)),
                  "call-" + i));
        }
        assertEquals(1200, flaky.attempts(Flaky.SLOW_FIRST));
      } finally {
        channel.shutdownNow();
        channel.awaitTermination(Duration.ofSeconds(5));
      }
    }
  }
}
