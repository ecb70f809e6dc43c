package dev.strand.e2e;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * What server handlers saw, per call: a test tags a call with a header and then waits for the
 * handler to report "started", "cancelled", "finished:CODE"... Waiting for a report instead of
 * sleeping keeps the tests fast and free of timing guesses. Reports from different threads (event
 * loop, handler thread) may arrive in any order, so waiting looks at all of them.
 */
final class HandlerEvents {
  private final Map<String, List<String>> byTag = new HashMap<>();

  synchronized void record(String tag, String event) {
    byTag.computeIfAbsent(tag, t -> new ArrayList<>()).add(event);
    notifyAll();
  }

  /** Waits until the call tagged {@code tag} has reported {@code expected}. */
  void await(String tag, String expected, long timeoutMillis) throws InterruptedException {
    awaitMatching(tag, expected::equals, "'" + expected + "'", timeoutMillis);
  }

  /** Waits until the call has reported an event starting with {@code prefix}; returns it. */
  String awaitPrefix(String tag, String prefix, long timeoutMillis) throws InterruptedException {
    return awaitMatching(tag, e -> e.startsWith(prefix), "'" + prefix + "...'", timeoutMillis);
  }

  private synchronized String awaitMatching(
      String tag, Predicate<String> wanted, String description, long timeoutMillis)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (true) {
      for (String e : of(tag)) {
        if (wanted.test(e)) {
          return e;
        }
      }
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left <= 0) {
        throw new AssertionError(
            "call "
                + tag
                + " never reported "
                + description
                + " within "
                + timeoutMillis
                + " ms; it reported "
                + of(tag));
      }
      wait(left);
    }
  }

  /** Everything the call has reported so far. */
  synchronized List<String> of(String tag) {
    return new ArrayList<>(byTag.getOrDefault(tag, List.of()));
  }
}
