package dev.strand.internal.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code google.protobuf.Duration} in its JSON form (service_config.md): seconds as a decimal
 * number with at most nine decimals (nanosecond precision) and an {@code s}, such as {@code
 * "1.5s"}, {@code "0.000340012s"} or {@code "-2s"}, within the proto's ±315,576,000,000 s.
 */
final class ProtoDuration {
  /** The proto's bound: 10,000 years. */
  private static final long MAX_SECONDS = 315_576_000_000L;

  // A6: "the numeric portion of the string must be a valid JSON number": no leading zeros.
  private static final Pattern FORM =
      Pattern.compile("(-)?(0|[1-9][0-9]{0,11})(?:\\.([0-9]{1,9}))?s");

  private ProtoDuration() {}

  /** The duration {@code text} writes, or null if it is not one. */
  static Duration parse(String text) {
    Matcher m = FORM.matcher(text);
    if (!m.matches()) {
      return null;
    }
    long seconds = Long.parseLong(m.group(2));
    if (seconds > MAX_SECONDS) {
      return null;
    }
    String fraction = m.group(3);
    long nanos = fraction == null ? 0 : Long.parseLong((fraction + "00000000").substring(0, 9));
    Duration d = Duration.ofSeconds(seconds, nanos);
    return m.group(1) != null ? d.negated() : d;
  }
}
