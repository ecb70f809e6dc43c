package dev.strand.netty.loop;

import io.netty.channel.SelectStrategy;
import io.netty.util.IntSupplier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Lets an idle event loop poll its sockets for a few microseconds before it blocks in epoll_wait,
 * when its traffic says the next event is that close.
 *
 * <p>Why: with one message in flight, most of a round trip is not gRPC work but two threads put to
 * sleep and woken again (on a virtual machine, a halted vCPU woken by an interrupt). A loop still
 * polling when the answer arrives skips both, and the polling costs about the CPU the sleep and
 * wake-up would have. What it could waste is bounded four ways:
 *
 * <ul>
 *   <li>a loop spins only while it is hot: its previous idle spell (from going idle, spin included,
 *       to the loop's next turn) lasted no longer than the budget (the draining budget below, while
 *       a peer drains it). A miss (a whole budget polled for nothing) cools it until a short spell
 *       comes again, so traffic slower than the budget is never polled for, and an idle server
 *       polls at most once, for one budget, after its last event;
 *   <li>a cold loop whose spells are still short (within {@value #TRIAL_SPELL_BUDGETS} budgets)
 *       tries a poll now and then: where waking a sleeping thread is itself slow (a virtual machine
 *       whose halted vCPUs take tens of microseconds to wake), a spell measured while blocking
 *       includes that wake-up and may never come under the budget, though polling would catch every
 *       event. A try that finds something makes the spells short, and the loop hot. Every miss,
 *       tried or hot, puts the next try off, by a millisecond at first and twice as long after each
 *       further miss (up to a second), until the loop is hot again: against traffic that is truly
 *       slower, tries cost at most a budget per millisecond, and soon far less;
 *   <li>a spin lasts at most the budget ({@value #DRAINING_PEER_BUDGETS} budgets while a peer is
 *       draining messages that wait for it, see {@link DrainingPeers}), and ends as soon as a task
 *       is queued (a task from another thread does not wake a loop that is not blocked, so the loop
 *       must look);
 *   <li>between polls the loop yields its CPU. A poll and yield that come back late mean another
 *       thread was running on that CPU: the machine is busy, polling would only take time from the
 *       threads doing the work, so the loop blocks and does not spin again for a while;
 *   <li>at most half the machine's CPUs (at least one) spin at once in this JVM, so spinning never
 *       takes every core from the threads that produce the events.
 * </ul>
 *
 * Event loop only, one instance per loop.
 */
public final class SpinThenBlockStrategy implements SelectStrategy {
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

  /**
   * How many budgets a loop polls for while a peer drains messages that wait for it ({@link
   * DrainingPeers}). Such a peer opens room about as often as it gets through what is in flight, a
   * few hundred microseconds for a local one, and each time a loop asleep must be woken by it. On
   * two cores, streaming 64 KiB messages between Strand's client and server, a loop that polled the
   * whole gap saved the client about 3 µs a message of waking the server, and streamed 8.6% faster
   * (two long-lived pairs, alternating: ahead in 10 of 10 runs). Four budgets gained less (5%).
   */
  static final int DRAINING_PEER_BUDGETS = 6;

  /** A cold loop tries a poll only after spells up to this many budgets long. */
  static final int TRIAL_SPELL_BUDGETS = 4;

  /** How long the first miss puts off the next try; each further miss doubles it. */
  static final long FIRST_TRIAL_DELAY_NANOS = 1_000_000;

  static final long MAX_TRIAL_DELAY_NANOS = 1_000_000_000;

  /** A poll and yield that take longer than this lost the CPU to another thread. */
  static final long CONTENDED_TURN_NANOS = 10_000;

  /** How long a loop that met a busy CPU keeps from spinning. */
  static final long CONTENDED_BACKOFF_NANOS = 250_000;

  private final BooleanSupplier tasksQueued;

  /** Ends the loop's turn, true if a peer is draining it ({@link DrainingPeers#endTurn}). */
  private final BooleanSupplier peerDraining;

  private final long budgetNanos;

  /** A cold loop tries a poll after spells up to this long. */
  private final long trialSpellNanos;

  private final LongSupplier clock;
  private final Runnable yield;
  private final SpinSlots slots;

  /** Whether the loop went idle (began to spin or to block) since its last turn. */
  private boolean idle;

  /** When the loop last went idle. */
  private long idleSince;

  /**
   * How long the last idle spell lasted: up to the budget, the loop is hot and polls; up to {@link
   * #trialSpellNanos}, a cold loop may try a poll. None yet: cold, nothing to try.
   */
  private long lastSpell = Long.MAX_VALUE;

  /** No try before this time: a poll missed. */
  private long nextTrial;

  /** How long the next miss puts off the next try. */
  private long trialDelay = FIRST_TRIAL_DELAY_NANOS;

  /** No spinning before this time: the CPU was found busy. */
  private long quietUntil;

  SpinThenBlockStrategy(BooleanSupplier tasksQueued, long budgetNanos) {
    this(
        tasksQueued,
        () -> DrainingPeers.ofThisThread().endTurn(),
        budgetNanos,
        System::nanoTime,
        Thread::yield,
        SpinSlots.SHARED);
  }

  SpinThenBlockStrategy(
      BooleanSupplier tasksQueued,
      BooleanSupplier peerDraining,
      long budgetNanos,
      LongSupplier clock,
      Runnable yield,
      SpinSlots slots) {
    this.tasksQueued = tasksQueued;
    this.peerDraining = peerDraining;
    this.budgetNanos = budgetNanos;
    this.trialSpellNanos = TRIAL_SPELL_BUDGETS * budgetNanos;
    this.clock = clock;
    this.yield = yield;
    this.slots = slots;
    this.quietUntil = clock.getAsLong();
    this.nextTrial = quietUntil;
  }

  @Override
  public int calculateStrategy(IntSupplier selectNow, boolean hasTasks) throws Exception {
    if (hasTasks && !idle) {
      // Busy, and was not idle: no clock read on this most frequent path.
      return selectNow.get();
    }
    long now = clock.getAsLong();
    if (idle) {
      // The spell includes the work done since it ended, which can only make a busy loop look
      // cooler than it is.
      lastSpell = now - idleSince;
      // Only the usual budget: trials are for cold loops, and a draining one is rarely cold.
      if (lastSpell <= budgetNanos) {
        trialDelay = FIRST_TRIAL_DELAY_NANOS;
      }
      idle = false;
    }
    if (hasTasks) {
      return selectNow.get();
    }
    idle = true;
    idleSince = now;
    long budget = peerDraining.getAsBoolean() ? DRAINING_PEER_BUDGETS * budgetNanos : budgetNanos;
    boolean mayPoll = lastSpell <= budget || (lastSpell <= trialSpellNanos && now - nextTrial >= 0);
    if (!mayPoll || now - quietUntil < 0 || !slots.tryTake()) {
      return SELECT;
    }
    long deadline = now + budget;
    long t = now;
    try {
      do {
        int ready = selectNow.get();
        if (ready > 0 || tasksQueued.getAsBoolean()) {
          return ready;
        }
        yield.run();
        long turnStart = t;
        t = clock.getAsLong();
        if (t - turnStart > CONTENDED_TURN_NANOS) {
          quietUntil = t + CONTENDED_BACKOFF_NANOS;
          return SELECT;
        }
      } while (t - deadline < 0);
    } finally {
      slots.release();
    }
    // A miss: the spell that ends after this block counts the budget spun and cools the loop.
    nextTrial = t + trialDelay;
    trialDelay = Math.min(2 * trialDelay, MAX_TRIAL_DELAY_NANOS);
    return SELECT;
  }
}
