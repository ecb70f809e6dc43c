package dev.strand.netty.http2;

import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Pings the peer when the connection has been quiet for the keepalive time, and gives up on the
 * connection if the ping is not answered within the timeout. Any frame read counts as life. Event
 * loop only.
 */
public final class KeepAlivePinger {
  /** The payload of keepalive pings, to tell their acks apart from others. */
  static final long PING_DATA = 0x5374726e644b4131L;

  private final ChannelHandlerContext ctx;
  private final long timeNanos;
  private final long timeoutNanos;
  private final BooleanSupplier shouldPing;
  private final Consumer<Long> sendPing;
  private final Runnable onDead;
  private long lastRead = System.nanoTime();
  private ScheduledFuture<?> check;
  private ScheduledFuture<?> timeout;

  public KeepAlivePinger(
      ChannelHandlerContext ctx,
      long timeNanos,
      long timeoutNanos,
      BooleanSupplier shouldPing,
      Consumer<Long> sendPing,
      Runnable onDead) {
    this.ctx = ctx;
    this.timeNanos = timeNanos;
    this.timeoutNanos = timeoutNanos;
    this.shouldPing = shouldPing;
    this.sendPing = sendPing;
    this.onDead = onDead;
  }

  public void start() {
    schedule(timeNanos);
  }

  public void onRead() {
    lastRead = System.nanoTime();
  }

  public void onPingAck(long data) {
    if (data == PING_DATA && timeout != null) {
      timeout.cancel(false);
      timeout = null;
    }
  }

  public void stop() {
    if (check != null) {
      check.cancel(false);
    }
    if (timeout != null) {
      timeout.cancel(false);
    }
  }

  private void schedule(long delayNanos) {
    check = ctx.executor().schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
  }

  private void check() {
    long idle = System.nanoTime() - lastRead;
    if (idle < timeNanos) {
      schedule(timeNanos - idle);
      return;
    }
    if (timeout == null && shouldPing.getAsBoolean()) {
      sendPing.accept(PING_DATA);
      timeout = ctx.executor().schedule(onDead, timeoutNanos, TimeUnit.NANOSECONDS);
    }
    schedule(timeNanos);
  }
}
