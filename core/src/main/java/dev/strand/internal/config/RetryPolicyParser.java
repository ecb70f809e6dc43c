package dev.strand.internal.config;

import dev.strand.Status;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** {@code retryPolicy}, {@code hedgingPolicy} and {@code retryThrottling}, validated per A6. */
final class RetryPolicyParser {
  private RetryPolicyParser() {}

  /** A6 "Validation of retryPolicy". */
  static RetryPolicy retryPolicy(ConfigObject policy) {
    int maxAttempts = maxAttempts(policy);
    Duration initialBackoff = positiveDuration(policy, "initialBackoff");
    Duration maxBackoff = positiveDuration(policy, "maxBackoff");
    Double multiplier = policy.number("backoffMultiplier");
    if (multiplier == null) {
      throw policy.invalid("backoffMultiplier", "is required");
    }
    if (!(multiplier > 0)) {
      throw policy.invalid(
          "backoffMultiplier", "must be greater than 0, was " + ConfigObject.describe(multiplier));
    }
    Set<Status.Code> retryable = statusCodes(policy, "retryableStatusCodes");
    if (retryable == null) {
      throw policy.invalid("retryableStatusCodes", "is required");
    }
    if (retryable.isEmpty()) {
      throw policy.invalid(
          "retryableStatusCodes", "must name at least one status code, such as \"UNAVAILABLE\"");
    }
    return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, multiplier, retryable);
  }

  /** A6 "Validation of hedgingPolicy". */
  static HedgingPolicy hedgingPolicy(ConfigObject policy) {
    int maxAttempts = maxAttempts(policy);
    Duration delay = policy.duration("hedgingDelay");
    if (delay != null && delay.isNegative()) {
      throw policy.invalid("hedgingDelay", "must not be negative, was " + delay);
    }
    Set<Status.Code> nonFatal = statusCodes(policy, "nonFatalStatusCodes");
    return new HedgingPolicy(
        maxAttempts,
        delay == null ? Duration.ZERO : delay,
        nonFatal == null
            ? Collections.unmodifiableSet(EnumSet.noneOf(Status.Code.class))
            : nonFatal);
  }

  /** A6 "Validation of retryThrottling". */
  static RetryThrottling retryThrottling(ConfigObject throttling) {
    Double maxTokens = throttling.number("maxTokens");
    if (maxTokens == null) {
      throw throttling.invalid("maxTokens", "is required");
    }
    if (!(maxTokens > 0 && maxTokens <= 1000)) {
      throw throttling.invalid(
          "maxTokens", "must be in (0, 1000], was " + ConfigObject.describe(maxTokens));
    }
    Double tokenRatio = throttling.number("tokenRatio");
    if (tokenRatio == null) {
      throw throttling.invalid("tokenRatio", "is required");
    }
    if (!(tokenRatio > 0)) {
      throw throttling.invalid(
          "tokenRatio", "must be greater than 0, was " + ConfigObject.describe(tokenRatio));
    }
    int maxThousandths = thousandths(maxTokens);
    if (maxThousandths == 0) {
      throw throttling.invalid(
          "maxTokens", "must be at least 0.001 (decimals beyond 3 are ignored), was " + maxTokens);
    }
    // A ratio is only ever added, so a huge one saturates instead of overflowing.
    int ratioThousandths = tokenRatio >= 1_000_000 ? 1_000_000_000 : thousandths(tokenRatio);
    return new RetryThrottling(maxThousandths, ratioThousandths);
  }

  /**
   * A number × 1000 with the decimals beyond three dropped. Through its shortest decimal form, so
   * 0.57 is 570 (0.57 × 1000 in binary floating point is 569.999...).
   */
  private static int thousandths(double value) {
    return BigDecimal.valueOf(value)
        .movePointRight(3)
        .setScale(0, RoundingMode.DOWN)
        .intValueExact();
  }

  private static int maxAttempts(ConfigObject policy) {
    Long maxAttempts = policy.integer("maxAttempts");
    if (maxAttempts == null) {
      throw policy.invalid("maxAttempts", "is required");
    }
    if (maxAttempts < 2) {
      throw policy.invalid(
          "maxAttempts", "must be at least 2 (the first attempt and one more), was " + maxAttempts);
    }
    // A6: more than the client's limit means the limit, and is not an error.
    return (int) Math.min(maxAttempts, RetryPolicy.MAX_ATTEMPTS_LIMIT);
  }

  private static Duration positiveDuration(ConfigObject policy, String key) {
    Duration d = policy.duration(key);
    if (d == null) {
      throw policy.invalid(key, "is required");
    }
    if (d.isNegative() || d.isZero()) {
      throw policy.invalid(
          key, "must be greater than 0, was " + ConfigObject.describe(policy.members().get(key)));
    }
    return d;
  }

  /**
   * A list of status codes, each its number or its name in any case (A6: [14], ["UNAVAILABLE"],
   * ["unavailable"]); null if unset. OK is refused: a call that succeeded is never retried, and a
   * config saying otherwise is a mistake (grpc-java refuses it too).
   */
  static Set<Status.Code> statusCodes(ConfigObject policy, String key) {
    List<?> list = policy.list(key);
    if (list == null) {
      return null;
    }
    Set<Status.Code> codes = EnumSet.noneOf(Status.Code.class);
    for (int i = 0; i < list.size(); i++) {
      Status.Code code = statusCode(policy.pathOf(key, i), list.get(i));
      if (code == Status.Code.OK) {
        throw new ServiceConfigException(
            policy.pathOf(key, i), "must not be OK: an OK call is never retried or hedged again");
      }
      codes.add(code);
    }
    return Collections.unmodifiableSet(codes);
  }

  private static Status.Code statusCode(String path, Object value) {
    if (value instanceof Double d && d == Math.rint(d) && d >= 0 && d <= 16) {
      return Status.Code.fromValue(d.intValue());
    }
    if (value instanceof String name) {
      try {
        return Status.Code.valueOf(name.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        // not a name: the error below
      }
    }
    throw new ServiceConfigException(
        path,
        "must be a status code, by number (0-16) or name (\"UNAVAILABLE\"), was "
            + ConfigObject.describe(value));
  }
}
