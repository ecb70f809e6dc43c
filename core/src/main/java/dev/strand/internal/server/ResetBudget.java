package dev.strand.internal.server;

/**
 * How many RST_STREAM frames a client may send a server (Rapid Reset, CVE-2023-44487): at most
 * {@code limit} per window, but each call the server completes forgives one. An attacker that opens
 * and cancels streams completes none and is cut off at the limit, as with Netty's own window; a
 * client that hedges or cancels some of its calls (A6 hedging cancels every losing attempt)
 * completes more calls than it resets and never runs out. Event loop only.
 */
public final class ResetBudget {
  private final int limit;
  private final long windowNanos;
  private long windowStart;
  private int count;

  public ResetBudget(int limit, long windowNanos) {
    this.limit = limit;
    this.windowNanos = windowNanos;
  }

  /** A reset for a stream the server knows arrived; false once the budget is spent. */
  public boolean onReset(long nowNanos) {
    if (count == 0 || nowNanos - windowStart > windowNanos) {
      windowStart = nowNanos;
      count = 0;
    }
    return ++count <= limit;
  }

  /** The server completed a call (its stream ended without a reset): one reset forgiven. */
  public void onCallCompleted() {
    if (count > 0) {
      count--;
    }
  }
}
