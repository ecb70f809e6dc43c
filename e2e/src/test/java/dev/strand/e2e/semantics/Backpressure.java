package dev.strand.e2e.semantics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The yardstick of the backpressure tests: a reader takes {@link #READ_FIRST} messages of {@link
 * #MESSAGE} bytes and stops; the writer, trying to send {@link #TOTAL}, must stall with no more
 * than {@link #BOUND} messages beyond what was read — one 1 MiB stream window, the reader's small
 * prefetch, the writer's 32 KiB ready threshold, and slack — and finish once reading resumes.
 */
final class Backpressure {
  static final int MESSAGE = 64 * 1024;
  static final int WINDOW = 1024 * 1024;
  static final int TOTAL = 160;
  static final int READ_FIRST = 4;
  static final int BOUND = 2 * WINDOW / MESSAGE;
  static final byte[] BIG = new byte[MESSAGE];

  private Backpressure() {}

  /**
   * Waits until a counter stops moving (how a test sees a writer blocked) and returns it. Fails if
   * it is still moving after 10 s.
   */
  static int awaitStable(IntSupplier counter) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    int last = counter.getAsInt();
    int quietRounds = 0;
    while (quietRounds < 4) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("writer still going after 10 s: " + counter.getAsInt());
      }
      Thread.sleep(100);
      int now = counter.getAsInt();
      quietRounds = now == last ? quietRounds + 1 : 0;
      last = now;
    }
    return last;
  }

  /** Waits for the writer to stall and checks where. */
  static void assertWriterWaits(IntSupplier sent, int read) throws InterruptedException {
    int stalledAt = awaitStable(sent);
    assertTrue(stalledAt < TOTAL, "the writer never waited: it sent all " + TOTAL);
    assertTrue(
        stalledAt - read <= BOUND,
        "the writer got "
            + (stalledAt - read)
            + " messages of 64 KiB ahead of a reader that stopped; allowed "
            + BOUND);
  }
}
