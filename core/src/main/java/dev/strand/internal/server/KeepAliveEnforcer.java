package dev.strand.internal.server;

import java.util.concurrent.TimeUnit;

/**
 * The server's rule on client pings (A8): a ping is fine if it comes at least the permitted
 * interval after the last good one (two hours when there are no calls and pings without calls are
 * not permitted). Sending data or headers forgives everything. After more than two bad pings the
 * client is told "too_many_pings" and cut off.
 */
public final class KeepAliveEnforcer {
  static final int MAX_STRIKES = 2;
  private static final long IDLE_PING_INTERVAL_NANOS = TimeUnit.HOURS.toNanos(2);

  private final long minIntervalNanos;
  private final boolean permitWithoutCalls;
  private long lastValidPing;
  private boolean hasValidPing;
  private int strikes;

  public KeepAliveEnforcer(long minIntervalNanos, boolean permitWithoutCalls) {
    this.minIntervalNanos = minIntervalNanos;
    this.permitWithoutCalls = permitWithoutCalls;
  }

  /** A ping arrived; false once the client has been told off too often. */
  public boolean onPing(boolean hasActiveCalls, long nowNanos) {
    long interval =
        hasActiveCalls || permitWithoutCalls ? minIntervalNanos : IDLE_PING_INTERVAL_NANOS;
    if (!hasValidPing || nowNanos - lastValidPing >= interval) {
      hasValidPing = true;
      lastValidPing = nowNanos;
      return true;
    }
    strikes++;
    return strikes <= MAX_STRIKES;
  }

  /** The server sent HEADERS or DATA: pings that follow are welcome again. */
  public void reset() {
    hasValidPing = false;
    strikes = 0;
  }
}
