package dev.strand.internal.wire;

import java.util.concurrent.TimeUnit;

/**
 * The {@code grpc-timeout} header: at most 8 ASCII digits and a unit (H M S m u n). Encoding picks
 * the finest unit whose value fits in 8 digits, so precision is lost only where it must.
 */
public final class GrpcTimeout {
  private static final long MAX_VALUE = 99_999_999L;
  private static final char[] UNITS = {'n', 'u', 'm', 'S', 'M', 'H'};
  private static final long[] NANOS_PER_UNIT = {
    1L, 1_000L, 1_000_000L, 1_000_000_000L, 60_000_000_000L, 3_600_000_000_000L
  };

  private GrpcTimeout() {}

  /** Encodes a positive timeout; a non-positive one is sent as 1n (already expired). */
  public static String encode(long nanos) {
    if (nanos <= 0) {
      return "1n";
    }
    for (int i = 0; i < UNITS.length; i++) {
      // Round up so the peer never sees a shorter timeout than ours.
      long value = ceilDiv(nanos, NANOS_PER_UNIT[i]);
      if (value <= MAX_VALUE) {
        return value + String.valueOf(UNITS[i]);
      }
    }
    return MAX_VALUE + "H";
  }

  /**
   * Decodes a header value into nanoseconds.
   *
   * @throws IllegalArgumentException with a message fit for an INTERNAL status if malformed
   */
  public static long decode(CharSequence value) {
    int len = value.length();
    if (len < 2 || len > 9) {
      throw new IllegalArgumentException(
          "grpc-timeout must be 1-8 digits and a unit: '" + value + "'");
    }
    long amount = 0;
    for (int i = 0; i < len - 1; i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        throw new IllegalArgumentException("grpc-timeout has a non-digit: '" + value + "'");
      }
      amount = amount * 10 + (c - '0');
    }
    char unit = value.charAt(len - 1);
    for (int i = 0; i < UNITS.length; i++) {
      if (UNITS[i] == unit) {
        return saturatedMultiply(amount, NANOS_PER_UNIT[i]);
      }
    }
    throw new IllegalArgumentException("grpc-timeout has an unknown unit '" + unit + "'");
  }

  public static long toMillis(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }

  private static long saturatedMultiply(long a, long b) {
    long hi = Math.multiplyHigh(a, b);
    long lo = a * b;
    return (hi != 0 || lo < 0) ? Long.MAX_VALUE : lo;
  }
}
