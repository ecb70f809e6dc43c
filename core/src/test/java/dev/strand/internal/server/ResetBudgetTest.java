package dev.strand.internal.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The server's RST_STREAM budget: cut off an attacker at the limit, never a client that hedges. */
class ResetBudgetTest {
  private static final long WINDOW = 30_000_000_000L;

  @Test
  void resetsWithNoCompletedCallsAreCutOffAtTheLimit() {
    ResetBudget budget = new ResetBudget(200, WINDOW);
    for (int i = 0; i < 200; i++) {
      assertTrue(budget.onReset(i), "reset " + (i + 1));
    }
    assertFalse(budget.onReset(201), "the 201st in the window");
  }

  @Test
  void completedCallsForgiveResetsSoAHedgingClientNeverRunsOut() {
    ResetBudget budget = new ResetBudget(200, WINDOW);
    // A6 hedging with 3 attempts: at worst two cancelled attempts per completed call.
    for (int call = 0; call < 10_000; call++) {
      budget.onCallCompleted();
      if (call % 10 == 0) { // one call in ten hedged, both hedges cancelled
        assertTrue(budget.onReset(call));
        assertTrue(budget.onReset(call));
      }
    }
  }

  @Test
  void aNewWindowStartsOver() {
    ResetBudget budget = new ResetBudget(2, WINDOW);
    assertTrue(budget.onReset(0));
    assertTrue(budget.onReset(1));
    assertFalse(budget.onReset(2));
    assertTrue(budget.onReset(WINDOW + 10), "after the window");
  }
}
