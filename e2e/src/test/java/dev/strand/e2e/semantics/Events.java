package dev.strand.e2e.semantics;

import dev.strand.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What handlers and interceptors saw, in the order they saw it, for a test to wait on. Waiting for
 * a report instead of sleeping keeps tests fast and free of timing guesses; every wait is bounded
 * and fails with everything seen so far.
 */
final class Events {
  private final List<String> seen = new ArrayList<>();
  private final Map<String, Thread> threads = new HashMap<>();

  synchronized void add(String event) {
    seen.add(event);
    notifyAll();
  }

  /** Reports "who:started" and which thread said so, for {@link #awaitBlockedIn}. */
  synchronized void started(String who) {
    threads.put(who, Thread.currentThread());
    add(who + ":started");
  }

  /**
   * Waits until the thread that reported "who:started" is blocked in a call to {@code method} of
   * Strand's stub layer: parked with that method on its stack, five polls in a row (a thread merely
   * passing through a lock is not seen parked that long). Then a test knows it wakes a blocked
   * call, not one that was about to start and would fail anyway. Fails after {@code timeoutMillis}.
   */
  void awaitBlockedIn(String who, String method, long timeoutMillis) throws InterruptedException {
    await(who + ":started", timeoutMillis);
    Thread thread;
    synchronized (this) {
      thread = threads.get(who);
    }
    int[] parkedPolls = {0};
    Await.until(
        Duration.ofMillis(timeoutMillis),
        () -> {
          parkedPolls[0] = isParkedIn(thread, method) ? parkedPolls[0] + 1 : 0;
          return parkedPolls[0] >= 5;
        },
        () ->
            who
                + " not blocked in "
                + method
                + "(): "
                + thread.getState()
                + " at "
                + Arrays.toString(thread.getStackTrace()));
  }

  private static boolean isParkedIn(Thread thread, String method) {
    Thread.State state = thread.getState();
    return (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING)
        && Arrays.stream(thread.getStackTrace())
            .anyMatch(
                f ->
                    f.getMethodName().equals(method)
                        && f.getClassName().startsWith("dev.strand.stub."));
  }

  synchronized List<String> all() {
    return new ArrayList<>(seen);
  }

  /** Waits until {@code event} was seen; fails after {@code timeoutMillis}. */
  void await(String event, long timeoutMillis) throws InterruptedException {
    awaitCount(event, 1, timeoutMillis);
  }

  /** Waits until {@code event} was seen {@code times} times; fails after {@code timeoutMillis}. */
  synchronized void awaitCount(String event, int times, long timeoutMillis)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (seen.stream().filter(event::equals).count() < times) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left <= 0) {
        throw new AssertionError(
            "'"
                + event
                + "' not seen "
                + times
                + "x within "
                + timeoutMillis
                + " ms; seen: "
                + seen);
      }
      wait(left);
    }
  }
}
