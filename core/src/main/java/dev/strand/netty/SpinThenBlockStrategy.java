package dev.strand.netty;

import io.netty.channel.SelectStrategy;
import io.netty.util.IntSupplier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Lets an idle event loop poll its sockets for a few microseconds before it blocks in
 * epoll_wait, when its traffic says the next event is that close.
 *
 * <p>Why: with one message in flight, most of a round trip is not gRPC work but two threads put
 * to sleep and woken again (on a virtual machine, a halted vCPU woken by an interrupt). A loop
 * still polling when the answer arrives skips both, and the polling costs about the CPU the
 * sleep and wake-up would have. What it could waste is bounded three ways:
 * <ul>
 *   <li>a loop spins only while it is hot: its previous idle spell, spin included, ended within
 *       the budget. A miss (a whole budget polled for nothing) cools it until a short spell comes
 *       again, so traffic slower than the budget is never polled for, and an idle server polls
 *       at most once, for one budget, after its last event;
 *   <li>a spin lasts at most the budget, and ends as soon as a task is queued (a task from
 *       another thread does not wake a loop that is not blocked, so the loop must look);
 *   <li>at most half the machine's CPUs (at least one) spin at once in this JVM, so spinning
 *       never takes every core from the threads that produce the events.
 * </ul>
 * Event loop only, one instance per loop.
 */
final class SpinThenBlockStrategy implements SelectStrategy {
  /** How many loops of this JVM may spin at the same time. */
  static final class SpinSlots {
    static final SpinSlots SHARED =
        new SpinSlots(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));

    private final int max;
    private final AtomicInteger taken = new AtomicInteger();

    SpinSlots(int max) {
      this.max = max;
    }

    boolean tryTake() {
      for (int n = taken.get(); n < max; n = taken.get()) {
        if (taken.compareAndSet(n, n + 1)) {
          return true;
        }
      }
      return false;
    }

    void release() {
      taken.decrementAndGet();
    }
  }

  private final BooleanSupplier tasksQueued;
  private final long budgetNanos;
  private final LongSupplier clock;
  private final SpinSlots slots;
  /** When this loop last went idle (began to spin or to block); 0 while it works. */
  private long idleSince;
  private boolean hot;

  SpinThenBlockStrategy(BooleanSupplier tasksQueued, long budgetNanos) {
    this(tasksQueued, budgetNanos, System::nanoTime, SpinSlots.SHARED);
  }

  SpinThenBlockStrategy(BooleanSupplier tasksQueued, long budgetNanos, LongSupplier clock,
      SpinSlots slots) {
    this.tasksQueued = tasksQueued;
    this.budgetNanos = budgetNanos;
    this.clock = clock;
    this.slots = slots;
  }

  @Override
  public int calculateStrategy(IntSupplier selectNow, boolean hasTasks) throws Exception {
    long now = clock.getAsLong();
    if (idleSince != 0) {
      // Back from blocking. The spell counts the work done since waking too, which can only
      // make a busy loop look cooler than it is.
      hot = now - idleSince <= budgetNanos;
      idleSince = 0;
    }
    if (hasTasks) {
      return selectNow.get();
    }
    idleSince = now;
    if (!hot || !slots.tryTake()) {
      return SELECT;
    }
    try {
      long deadline = now + budgetNanos;
      do {
        int ready = selectNow.get();
        if (ready > 0 || tasksQueued.getAsBoolean()) {
          idleSince = 0;
          return ready;
        }
        Thread.onSpinWait();
      } while (clock.getAsLong() - deadline < 0);
    } finally {
      slots.release();
    }
    // A miss: idleSince stays at the spin's start, so the spell that ends this block counts
    // the budget spun and cools the loop.
    return SELECT;
  }
}
