package dev.strand.client;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Reconnect backoff per connection-backoff.md: each failed attempt waits longer, by a factor, up to
 * a maximum, with random jitter so that clients started together spread out.
 */
public record Backoff(
    Duration initial, double multiplier, double jitter, Duration max, Duration minConnectTimeout) {

  /** The spec's defaults: 1 s, x1.6, ±20%, at most 120 s; 20 s to connect. */
  public static final Backoff DEFAULT =
      new Backoff(Duration.ofSeconds(1), 1.6, 0.2, Duration.ofSeconds(120), Duration.ofSeconds(20));

  public Backoff {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("need 0 < initial <= max");
    }
    if (multiplier < 1 || jitter < 0 || jitter >= 1) {
      throw new IllegalArgumentException("need multiplier >= 1 and 0 <= jitter < 1");
    }
  }

  /** The un-jittered backoff after {@code current}. */
  public Duration next(Duration current) {
    double nanos = Math.min(current.toNanos() * multiplier, max.toNanos());
    return Duration.ofNanos((long) nanos);
  }

  /** {@code backoff} with jitter applied: uniformly within ±jitter of it. */
  public Duration jittered(Duration backoff) {
    double spread = backoff.toNanos() * jitter;
    double offset = spread == 0 ? 0 : ThreadLocalRandom.current().nextDouble(-spread, spread);
    return Duration.ofNanos(Math.max(0, (long) (backoff.toNanos() + offset)));
  }
}
