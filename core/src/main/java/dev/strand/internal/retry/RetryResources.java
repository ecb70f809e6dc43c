package dev.strand.internal.retry;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a channel's retried calls share: the throttle (null when the service config sets none), the
 * timers their backoffs and hedging delays run on, and the channel-wide budget of bytes they may
 * hold for replay (A6, "Memory Management"): past it, a call commits to the attempt it has.
 */
public final class RetryResources {
  /** grpc-java's defaults: 1 MiB per call, 16 MiB per channel. */
  public static final long PER_CALL_BUFFER_LIMIT = 1 << 20;

  public static final long PER_CHANNEL_BUFFER_LIMIT = 16 << 20;

  final RetryThrottle throttle;
  final ScheduledExecutorService timers;
  final long perCallLimit;
  private final long perChannelLimit;
  private final AtomicLong buffered = new AtomicLong();

  public RetryResources(
      RetryThrottle throttle,
      ScheduledExecutorService timers,
      long perCallLimit,
      long perChannelLimit) {
    this.throttle = throttle;
    this.timers = timers;
    this.perCallLimit = perCallLimit;
    this.perChannelLimit = perChannelLimit;
  }

  /** Takes {@code bytes} of the channel's budget; false (nothing taken) if it would overflow. */
  boolean reserve(long bytes) {
    while (true) {
      long now = buffered.get();
      if (now + bytes > perChannelLimit) {
        return false;
      }
      if (buffered.compareAndSet(now, now + bytes)) {
        return true;
      }
    }
  }

  void release(long bytes) {
    buffered.addAndGet(-bytes);
  }

  /** Bytes held for replay by all of the channel's calls now. */
  long bufferedBytes() {
    return buffered.get();
  }
}
