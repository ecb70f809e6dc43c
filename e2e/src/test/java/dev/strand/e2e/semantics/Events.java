package dev.strand.e2e.semantics;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What handlers and interceptors saw, in the order they saw it, for a test to wait on. Waiting
 * for a report instead of sleeping keeps tests fast and free of timing guesses; every wait is
 * bounded and fails with everything seen so far.
 */
final class Events {
  private final List<String> seen = new ArrayList<>();

  synchronized void add(String event) {
    seen.add(event);
    notifyAll();
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
        throw new AssertionError("'" + event + "' not seen " + times + "x within " + timeoutMillis
            + " ms; seen: " + seen);
      }
      wait(left);
    }
  }
}
