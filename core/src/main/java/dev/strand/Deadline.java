package dev.strand;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A point in time, on the monotonic clock, by which a call must finish. */
public final class Deadline implements Comparable<Deadline> {
  private final long nanoTime;
  private final long timeoutNanos;

  private Deadline(long nanoTime, long timeoutNanos) {
    this.nanoTime = nanoTime;
    this.timeoutNanos = timeoutNanos;
  }

  public static Deadline after(Duration timeout) {
    return after(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  public static Deadline after(long amount, TimeUnit unit) {
    long now = System.nanoTime();
    long nanos = unit.toNanos(amount);
    // Saturate instead of overflowing for absurdly long timeouts.
    long capped = Math.min(nanos, Long.MAX_VALUE / 2);
    return new Deadline(now + capped, capped);
  }

  /** The timeout this deadline was made with: what the user configured, for messages. */
  public Duration timeout() {
    return Duration.ofNanos(timeoutNanos);
  }

  public long remainingNanos() {
    return nanoTime - System.nanoTime();
  }

  public Duration remaining() {
    return Duration.ofNanos(remainingNanos());
  }

  public boolean isExpired() {
    return remainingNanos() <= 0;
  }

  public boolean isBefore(Deadline other) {
    return nanoTime - other.nanoTime < 0;
  }

  /** The earlier of two deadlines; either may be null (no deadline). */
  public static Deadline earliest(Deadline a, Deadline b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return a.isBefore(b) ? a : b;
  }

  @Override
  public int compareTo(Deadline o) {
    return Long.compare(nanoTime - o.nanoTime, 0);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Deadline d && d.nanoTime == nanoTime;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(nanoTime);
  }

  @Override
  public String toString() {
    long ms = TimeUnit.NANOSECONDS.toMillis(remainingNanos());
    return ms >= 0 ? "Deadline[" + ms + " ms from now]" : "Deadline[" + -ms + " ms ago]";
  }
}
