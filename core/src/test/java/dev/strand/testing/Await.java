package dev.strand.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition a test cannot be told about (a counter, a log line), polling it: a bounded
 * wait for the thing itself instead of a sleep that guesses how long it takes.
 */
public final class Await {
  private Await() {}

  /** Polls {@code condition} every 10 ms; fails with {@code message} if it is not true in time. */
  public static void until(Duration timeout, BooleanSupplier condition, Supplier<String> message)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("not within " + timeout.toMillis() + " ms: " + message.get());
      }
      Thread.sleep(10);
    }
  }
}
