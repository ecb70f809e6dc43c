package dev.strand.e2e.connections;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.ConnectivityState;
import dev.strand.client.Backoff;
import dev.strand.client.Channel;
import dev.strand.client.ManagedChannel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * connection-backoff.md: a Strand channel that cannot connect retries with exponentially growing,
 * jittered delays. With a small backoff (100 ms, x1.6, ±20%) against a server that accepts each TCP
 * connection and closes it at once (so no HTTP/2 connection is ever made), the times between the
 * attempts the server sees follow 100, 160, 256, 410, 655 ms within the jitter, plus scheduling
 * slack. Meanwhile the channel stays in TRANSIENT_FAILURE from the first failure on (sticky, A62),
 * rather than flapping through CONNECTING on every attempt.
 */
@Timeout(30)
class ReconnectBackoffTest {
  private static final Backoff BACKOFF =
      new Backoff(Duration.ofMillis(100), 1.6, 0.2, Duration.ofSeconds(5), Duration.ofSeconds(20));
  private static final int ATTEMPTS = 6;

  /** Allowance for a busy machine: timers fire late, never early. */
  private static final long SLACK_MILLIS = 150;

  @Test
  void attemptsFollowTheBackoff() throws Exception {
    List<Long> attemptNanos = new ArrayList<>();
    try (ServerSocket refuser = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor = new Thread(() -> acceptAndClose(refuser, attemptNanos), "refuser");
      acceptor.start();
      ManagedChannel channel =
          Channel.to("127.0.0.1", refuser.getLocalPort()).plaintext().backoff(BACKOFF).build();
      List<ConnectivityState> states = new ArrayList<>();
      try {
        watch(channel, channel.state(false), states);
        channel.state(true);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (size(attemptNanos) < ATTEMPTS && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
      } finally {
        channel.shutdownNow();
        channel.awaitTermination(Duration.ofSeconds(5));
      }
      List<Long> gaps = new ArrayList<>();
      synchronized (attemptNanos) {
        for (int i = 1; i < attemptNanos.size(); i++) {
          gaps.add((attemptNanos.get(i) - attemptNanos.get(i - 1)) / 1_000_000);
        }
      }
      System.out.println("[backoff] gaps between connection attempts (ms): " + gaps);
      assertTrue(gaps.size() >= ATTEMPTS - 1, "too few attempts: " + gaps);
      double expected = BACKOFF.initial().toMillis();
      for (int i = 0; i < ATTEMPTS - 1; i++) {
        long low = (long) (expected * (1 - BACKOFF.jitter())) - 5;
        long high = (long) (expected * (1 + BACKOFF.jitter())) + SLACK_MILLIS;
        long gap = gaps.get(i);
        assertTrue(
            gap >= low && gap <= high,
            "attempt "
                + (i + 2)
                + " came "
                + gap
                + " ms after the one before, expected "
                + low
                + ".."
                + high
                + " ms: "
                + gaps);
        expected *= BACKOFF.multiplier();
      }
      synchronized (states) {
        // A state-change callback reads the state when it runs, so a quick one can be skipped
        // (CONNECTING, here); what must hold is that nothing follows TRANSIENT_FAILURE but
        // SHUTDOWN (from shutdownNow() above), however many attempts failed.
        int firstFailure = states.indexOf(ConnectivityState.TRANSIENT_FAILURE);
        assertTrue(firstFailure >= 0, "never TRANSIENT_FAILURE: " + states);
        for (int i = 0; i < states.size(); i++) {
          ConnectivityState s = states.get(i);
          boolean allowed =
              i < firstFailure
                  ? s == ConnectivityState.CONNECTING
                  : s == ConnectivityState.TRANSIENT_FAILURE || s == ConnectivityState.SHUTDOWN;
          assertTrue(allowed, "the channel's states while every attempt failed: " + states);
        }
      }
    }
  }

  /** Records the time of each TCP connection and closes it: an attempt that fails. */
  private static void acceptAndClose(ServerSocket server, List<Long> attempts) {
    for (int i = 0; i < 100; i++) {
      try (Socket s = server.accept()) {
        synchronized (attempts) {
          attempts.add(System.nanoTime());
        }
      } catch (IOException closed) {
        return;
      }
    }
  }

  /** Records every state the channel moves to. */
  private static void watch(
      ManagedChannel channel, ConnectivityState from, List<ConnectivityState> states) {
    channel.notifyWhenStateChanged(
        from,
        () -> {
          ConnectivityState now = channel.state(false);
          synchronized (states) {
            states.add(now);
          }
          if (now != ConnectivityState.SHUTDOWN) {
            watch(channel, now, states);
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
