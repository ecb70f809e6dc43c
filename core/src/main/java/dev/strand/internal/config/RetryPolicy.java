package dev.strand.internal.config;

import dev.strand.Status;
import java.time.Duration;
import java.util.Set;

/**
 * A method's {@code retryPolicy} (A6, "Retry Policy Capabilities"), validated as A6 asks, and acted
 * on by {@code dev.strand.internal.retry.RetryingCall}.
 *
 * <p>Attempt {@code n} (the first retry is {@code n = 1}) waits {@code min(initialBackoff *
 * backoffMultiplier^(n-1), maxBackoff) * random(0.8, 1.2)}; the call's deadline spans all attempts.
 *
 * @param maxAttempts attempts including the first, from 2; a config asking for more than {@link
 *     #MAX_ATTEMPTS_LIMIT} gets that many (A6: not an error)
 * @param initialBackoff the wait before the first retry, before jitter; positive
 * @param maxBackoff the longest wait between attempts, before jitter; positive
 * @param backoffMultiplier how the wait grows per attempt; positive
 * @param retryableStatusCodes the statuses an attempt may be retried after; never empty, never OK
 */
public record RetryPolicy(
    int maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    double backoffMultiplier,
    Set<Status.Code> retryableStatusCodes) {

  /** A6's client-side cap on {@code maxAttempts} of both retries and hedging. */
  public static final int MAX_ATTEMPTS_LIMIT = 5;
}
