package dev.strand.e2e.connections;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.client.Backoff;
import dev.strand.client.Channel;
import dev.strand.client.ConnectivityState;
import dev.strand.client.ManagedChannel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * connection-backoff.md: a Strand channel that cannot connect retries with exponentially growing,
 * jittered delays. With a small backoff (100 ms, x1.6, ±20%) against a port where nothing listens,
 * the times between failed attempts (read from the channel's state changes) follow 100, 160, 256,
 * 410, 655 ms within the jitter, plus scheduling slack.
 */
@Timeout(30)
class ReconnectBackoffTest {
  private static final Backoff BACKOFF =
      new Backoff(Duration.ofMillis(100), 1.6, 0.2, Duration.ofSeconds(5), Duration.ofSeconds(20));
  private static final int FAILURES = 6;

  /** Allowance for a busy machine: timers fire late, never early. */
  private static final long SLACK_MILLIS = 150;

  @Test
  void attemptsFollowTheBackoff() throws Exception {
    ManagedChannel channel =
        Channel.to("127.0.0.1", deadPort()).plaintext().backoff(BACKOFF).build();
    try {
      List<Long> failureNanos = new ArrayList<>();
      watch(channel, channel.state(false), failureNanos);
      channel.state(true);
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (size(failureNanos) < FAILURES && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      List<Long> gaps = new ArrayList<>();
      synchronized (failureNanos) {
        for (int i = 1; i < failureNanos.size(); i++) {
          gaps.add((failureNanos.get(i) - failureNanos.get(i - 1)) / 1_000_000);
        }
      }
      System.out.println("[backoff] gaps between failed attempts (ms): " + gaps);
      assertTrue(gaps.size() >= FAILURES - 1, "too few attempts: " + gaps);
      double expected = BACKOFF.initial().toMillis();
      for (int i = 0; i < FAILURES - 1; i++) {
        long low = (long) (expected * (1 - BACKOFF.jitter())) - 5;
        long high = (long) (expected * (1 + BACKOFF.jitter())) + SLACK_MILLIS;
        long gap = gaps.get(i);
        assertTrue(
            gap >= low && gap <= high,
            "attempt "
                + (i + 1)
                + " came after "
                + gap
                + " ms, expected "
                + low
                + ".."
                + high
                + " ms: "
                + gaps);
        expected *= BACKOFF.multiplier();
      }
    } finally {
      channel.shutdownNow();
      channel.awaitTermination(Duration.ofSeconds(5));
    }
  }

  /**
   * Records each entry into TRANSIENT_FAILURE. A callback fires only when the state leaves {@code
   * from}; re-registering with what it reads then misses no failure: a connect that fails faster
   * than the callback runs shows up as TRANSIENT_FAILURE read after TRANSIENT_FAILURE.
   */
  private static void watch(ManagedChannel channel, ConnectivityState from, List<Long> failures) {
    channel.notifyWhenStateChanged(
        from,
        () -> {
          ConnectivityState now = channel.state(false);
          if (now == ConnectivityState.TRANSIENT_FAILURE) {
            synchronized (failures) {
              failures.add(System.nanoTime());
            }
          }
          if (now != ConnectivityState.SHUTDOWN) {
            watch(channel, now, failures);
          }
        });
  }

  private static int size(List<Long> list) {
    synchronized (list) {
      return list.size();
    }
  }

  /** A loopback port nothing listens on (it was free a moment ago). */
  static int deadPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
