package dev.strand.internal.retry;

import dev.strand.Metadata;

/**
 * Server pushback (A6): {@code grpc-retry-pushback-ms} in a failed attempt's trailers, an ASCII
 * signed 32-bit integer. A value of 0 or more says "retry after exactly this long"; a negative or
 * unparsable one says "do not retry".
 */
final class Pushback {
  static final String KEY = dev.strand.internal.wire.HeaderNames.GRPC_RETRY_PUSHBACK_MS;

  /** No pushback in the trailers. */
  static final long NONE = -1;

  /** The server asked not to retry. */
  static final long STOP = -2;

  private Pushback() {}

  /** The delay in milliseconds the server asked for, {@link #NONE} or {@link #STOP}. */
  static long of(Metadata trailers) {
    String value = trailers == null ? null : trailers.get(KEY);
    if (value == null) {
      return NONE;
    }
    try {
      int millis = Integer.parseInt(value.trim());
      return millis < 0 ? STOP : millis;
    } catch (NumberFormatException e) {
      return STOP;
    }
  }
}
