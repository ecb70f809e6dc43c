package dev.strand.netty.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.SelectStrategy;
import io.netty.util.IntSupplier;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.Test;

public class SpinThenBlockStrategyTest {
  private static final long BUDGET = 50_000;

  /** Every clock read moves time on by 1 µs, so a spin is bounded in reads, not wall time. */
  private static final long TICK = 1_000;

  private long now = 1_000_000;
  private boolean tasksQueued;
  private final SpinThenBlockStrategy.SpinSlots slots = new SpinThenBlockStrategy.SpinSlots(1);

  /** What a yield costs in clock time: a tick when no other thread wanted the CPU. */
  private long yieldNanos;

  /** What the loop's {@link DrainingPeers} says at the end of each turn. */
  private boolean peerDraining;

  /** How many turns the strategy has ended. */
  private int turnsEnded;

  private final SpinThenBlockStrategy strategy =
      new SpinThenBlockStrategy(
          () -> tasksQueued,
          () -> {
            turnsEnded++;
            return peerDraining;
          },
          BUDGET,
          () -> now += TICK,
          () -> now += yieldNanos,
          slots);

  /** selectNow: answers from a script, then 0 (nothing ready) forever; counts its calls. */
  private static class Polls implements IntSupplier {
    final Deque<Integer> script = new ArrayDeque<>();
    int calls;

    Polls answering(Integer... ready) {
      script.addAll(java.util.List.of(ready));
      return this;
    }

    @Override
    public int get() {
      calls++;
      return script.isEmpty() ? 0 : script.poll();
    }
  }

  private int idle(Polls polls) throws Exception {
    return strategy.calculateStrategy(polls, false);
  }

  private void assertBlocksWithoutPolling() throws Exception {
    Polls polls = new Polls().answering(1);
    assertEquals(SelectStrategy.SELECT, idle(polls));
    assertEquals(0, polls.calls);
  }

  /** One blocking spell of {@code nanos}, leaving the loop hot or cold by its length. */
  private void blockFor(long nanos) throws Exception {
    assertEquals(SelectStrategy.SELECT, idle(new Polls()));
    now += nanos;
  }

  @Test
  void aColdLoopBlocksAtOnceWithoutPolling() throws Exception {
    assertBlocksWithoutPolling();
  }

  @Test
  void afterAShortIdleSpellItPollsUntilEventsAreReady() throws Exception {
    blockFor(10_000);
    Polls polls = new Polls().answering(0, 0, 3);
    assertEquals(3, idle(polls));
    assertEquals(3, polls.calls);
    // The spin found work within the budget, so the loop stays hot.
    Polls next = new Polls().answering(0, 1);
    assertEquals(1, idle(next));
    assertEquals(2, next.calls);
  }

  /** Past the spell a cold loop would try a poll after. */
  private static final long LONG_SPELL =
      SpinThenBlockStrategy.TRIAL_SPELL_BUDGETS * BUDGET + 10_000;

  /** Over the budget, so the loop is cold, but short enough for a try. */
  private static final long TRYABLE_SPELL = 2 * BUDGET;

  @Test
  void afterALongIdleSpellItBlocksWithoutPolling() throws Exception {
    blockFor(10_000);
    blockFor(LONG_SPELL);
    assertBlocksWithoutPolling();
    // However long it has been since anything was polled for: slow traffic is never tried.
    now += 10 * SpinThenBlockStrategy.MAX_TRIAL_DELAY_NANOS;
    blockFor(LONG_SPELL);
    assertBlocksWithoutPolling();
  }

  @Test
  void aColdLoopWhoseSpellsAreStillShortTriesAPollAndIsHotWhenItFindsSomething() throws Exception {
    blockFor(TRYABLE_SPELL);
    Polls tried = new Polls().answering(0, 2);
    assertEquals(2, idle(tried));
    assertEquals(2, tried.calls);
    // The try made the spell short: the loop is hot and polls at once again.
    Polls next = new Polls().answering(1);
    assertEquals(1, idle(next));
  }

  /**
   * Spells of {@link #TRYABLE_SPELL} after a miss, until the loop tries a poll again (it misses
   * again); how long that took from the miss.
   */
  private long delayOfNextTry() throws Exception {
    long missedAt = now;
    for (int i = 0; i < 20_000; i++) {
      now += TRYABLE_SPELL;
      Polls polls = new Polls();
      assertEquals(SelectStrategy.SELECT, idle(polls));
      if (polls.calls > 0) {
        return now - missedAt;
      }
    }
    throw new AssertionError("no try within 20,000 spells");
  }

  @Test
  void eachMissPutsTheNextTryOffTwiceAsLongUpToTheMost() throws Exception {
    blockFor(TRYABLE_SPELL);
    Polls first = new Polls();
    assertEquals(SelectStrategy.SELECT, idle(first));
    assertTrue(first.calls > 1, "the first try polls through its budget");
    long expected = SpinThenBlockStrategy.FIRST_TRIAL_DELAY_NANOS;
    for (int miss = 1; miss <= 12; miss++) {
      long delay = delayOfNextTry();
      assertTrue(
          delay >= expected && delay <= expected + TRYABLE_SPELL + BUDGET,
          "try after miss " + miss + " came " + delay + " ns later, expected " + expected);
      expected = Math.min(2 * expected, SpinThenBlockStrategy.MAX_TRIAL_DELAY_NANOS);
    }
    assertEquals(SpinThenBlockStrategy.MAX_TRIAL_DELAY_NANOS, expected, "the cap was reached");
  }

  @Test
  void aHotLoopStartsOverFromTheShortestDelayWhenItNextMisses() throws Exception {
    blockFor(TRYABLE_SPELL);
    idle(new Polls()); // A try that misses: the next in 1 ms.
    delayOfNextTry(); // Missed again: the next in 2 ms.
    delayOfNextTry(); // And again: the next in 4 ms.
    now += 10_000;
    assertEquals(SelectStrategy.SELECT, idle(new Polls()), "cold: the spell counts the spin");
    now += 10_000;
    assertEquals(1, idle(new Polls().answering(1)), "a short spell: hot, so it polls");
    now += 10_000;
    assertEquals(SelectStrategy.SELECT, idle(new Polls()), "a hot spin that misses");
    long delay = delayOfNextTry();
    assertTrue(
        delay <= SpinThenBlockStrategy.FIRST_TRIAL_DELAY_NANOS + TRYABLE_SPELL + BUDGET,
        "next try " + delay + " ns after the miss");
  }

  @Test
  void aSpinThatFindsNothingEndsWithinTheBudgetAndCoolsTheLoop() throws Exception {
    blockFor(10_000);
    Polls polls = new Polls();
    long start = now;
    assertEquals(SelectStrategy.SELECT, idle(polls));
    assertTrue(polls.calls >= 10 && polls.calls <= BUDGET / TICK, "polls: " + polls.calls);
    assertTrue(now - start <= BUDGET + 2 * TICK, "spun for " + (now - start) + " ns");
    // Woken right after the miss: the spell counts from the spin's start, so still too long.
    assertBlocksWithoutPolling();
  }

  @Test
  void aQueuedTaskEndsTheSpinSoTheLoopRunsIt() throws Exception {
    blockFor(10_000);
    Polls polls =
        new Polls() {
          @Override
          public int get() {
            if (calls == 2) {
              tasksQueued = true;
            }
            return super.get();
          }
        };
    assertEquals(0, idle(polls), "0 ready: the loop goes on to its tasks, it does not block");
    assertEquals(3, polls.calls);
  }

  @Test
  void aYieldThatComesBackLateMeansABusyCpuSoTheLoopBlocksAndStaysQuietForAWhile()
      throws Exception {
    blockFor(10_000);
    yieldNanos = 2 * SpinThenBlockStrategy.CONTENDED_TURN_NANOS;
    Polls polls = new Polls();
    assertEquals(SelectStrategy.SELECT, idle(polls));
    assertEquals(1, polls.calls, "one poll, then a late yield ends the spin");
    yieldNanos = 0;
    // Short spells keep the loop hot, but it does not spin until the back-off has passed.
    for (int i = 0; i < 5; i++) {
      now += 10_000;
      assertBlocksWithoutPolling();
    }
    now += SpinThenBlockStrategy.CONTENDED_BACKOFF_NANOS;
    blockFor(10_000);
    assertEquals(1, idle(new Polls().answering(0, 1)));
  }

  @Test
  void withTasksPendingItPollsOnceAndNeverBlocks() throws Exception {
    Polls polls = new Polls().answering(2);
    assertEquals(2, strategy.calculateStrategy(polls, true));
    assertEquals(1, polls.calls);
    Polls none = new Polls();
    assertEquals(0, strategy.calculateStrategy(none, true));
    assertEquals(1, none.calls);
  }

  @Test
  void noMoreLoopsSpinAtOnceThanThereAreSlots() throws Exception {
    blockFor(10_000);
    assertTrue(slots.tryTake(), "another loop spins");
    assertBlocksWithoutPolling();
    slots.release();
    now += 10_000;
    assertEquals(1, idle(new Polls().answering(1)));
    assertTrue(slots.tryTake(), "the spinning loop gave its slot back");
  }

  /** Longer than any spell a cold loop would try a poll after. */
  private static final long DRAINING_SPELL = 5 * BUDGET;

  @Test
  void whileAPeerDrainsItsWaitingMessagesALoopPollsForLonger() throws Exception {
    long draining = SpinThenBlockStrategy.DRAINING_PEER_BUDGETS * BUDGET;
    peerDraining = true;
    // A spell of five budgets leaves the loop hot while the peer drains it...
    blockFor(DRAINING_SPELL);
    Polls polls = new Polls();
    long start = now;
    assertEquals(SelectStrategy.SELECT, idle(polls), "a long spin that misses");
    assertTrue(
        now - start >= draining - BUDGET && now - start <= draining + 2 * TICK,
        "spun for " + (now - start) + " ns");
    assertTrue(polls.calls > 5 * BUDGET / TICK / 2, "polls: " + polls.calls);
  }

  @Test
  void whenNoPeerDrainsTheLoopTheSameSpellCoolsItAndSpinsLastTheUsualBudget() throws Exception {
    peerDraining = true;
    blockFor(DRAINING_SPELL);
    peerDraining = false;
    assertBlocksWithoutPolling();
    // A hot loop's spin ends within one budget.
    now += 10_000;
    long start = now;
    assertEquals(SelectStrategy.SELECT, idle(new Polls()));
    assertTrue(now - start <= BUDGET + 2 * TICK, "spun for " + (now - start) + " ns");
  }

  @Test
  void everyIdlePointEndsOneTurnAndNothingElseDoes() throws Exception {
    assertBlocksWithoutPolling(); // cold
    assertEquals(1, turnsEnded);
    now += 10_000;
    assertEquals(1, idle(new Polls().answering(0, 1))); // hot, polls
    assertEquals(2, turnsEnded);
    strategy.calculateStrategy(new Polls(), true); // busy after idle: not an idle point
    strategy.calculateStrategy(new Polls(), true); // busy
    assertEquals(2, turnsEnded);
    assertEquals(SelectStrategy.SELECT, idle(new Polls()));
    assertEquals(3, turnsEnded);
  }
}
