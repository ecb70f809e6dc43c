package dev.strand.internal.config;

/**
 * The channel's {@code retryThrottling} (A6, "Throttling Retry Attempts and Hedged RPCs"): a token
 * count starts at {@code maxTokens}; each failed call takes one token, each success gives back
 * {@code tokenRatio}; while the count is at or below half of {@code maxTokens}, no call is retried
 * or hedged. Acted on by {@code dev.strand.internal.retry.RetryThrottle}.
 *
 * <p>Both numbers keep three decimal places, as A6 asks (0.5466 is 0.546), so they are held in
 * thousandths: a throttle counts in integers and never drifts.
 *
 * @param maxTokensThousandths {@code maxTokens} × 1000: in (0, 1,000,000]
 * @param tokenRatioThousandths {@code tokenRatio} × 1000: ≥ 0 (a ratio under 0.001 truncates to 0)
 */
public record RetryThrottling(int maxTokensThousandths, int tokenRatioThousandths) {
  public double maxTokens() {
    return maxTokensThousandths / 1000.0;
  }

  public double tokenRatio() {
    return tokenRatioThousandths / 1000.0;
  }
}
