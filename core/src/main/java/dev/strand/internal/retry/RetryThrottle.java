package dev.strand.internal.retry;

import dev.strand.internal.config.RetryThrottling;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A channel's retry throttle (A6, "Throttling Retry Attempts and Hedged RPCs"): a token count,
 * starting full at {@code maxTokens}; each failed attempt that counts (a retryable or non-fatal
 * status, or a pushback saying not to retry) takes one token, each success gives back {@code
 * tokenRatio}; while the count is at or below half of {@code maxTokens}, nothing is retried or
 * hedged. Kept in thousandths of a token, so it counts in integers and never drifts. Thread-safe.
 */
public final class RetryThrottle {
  private final int max;
  private final int ratio;
  private final AtomicInteger tokens;

  public RetryThrottle(RetryThrottling config) {
    this.max = config.maxTokensThousandths();
    this.ratio = config.tokenRatioThousandths();
    this.tokens = new AtomicInteger(max);
  }

  void onFailure() {
    tokens.updateAndGet(t -> Math.max(0, t - 1000));
  }

  void onSuccess() {
    tokens.updateAndGet(t -> Math.min(max, t + ratio));
  }

  /** True while retries and hedges may be sent: more than half of the tokens are left. */
  boolean allowsRetry() {
    return tokens.get() * 2L > max;
  }

  /** The tokens left, in thousandths, for tests and logs. */
  int tokensThousandths() {
    return tokens.get();
  }
}
