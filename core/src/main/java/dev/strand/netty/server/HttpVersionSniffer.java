package dev.strand.netty.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Tells HTTP/2 from HTTP/1.1 on a cleartext connection by its first bytes: the HTTP/2 client
 * preface (RFC 9113 3.4) or anything else, which is an HTTP/1 request line. Then puts the handlers
 * for that version in its place and hands them what it read. Browsers never speak HTTP/2 without
 * TLS, so this is how they reach a cleartext server at all.
 */
final class HttpVersionSniffer extends ByteToMessageDecoder {
  private static final Logger log = Logger.getLogger(HttpVersionSniffer.class.getName());
  private static final byte[] PREFACE =
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private final Supplier<ChannelHandler> http2;
  private final Supplier<ChannelHandler[]> http1;
  private final Duration deadline;
  private ScheduledFuture<?> timer;

  /** {@code deadline}: how long a connection may stay silent before it is closed, or null. */
  HttpVersionSniffer(
      Supplier<ChannelHandler> http2, Supplier<ChannelHandler[]> http1, Duration deadline) {
    this.http2 = http2;
    this.http1 = http1;
    this.deadline = deadline;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (deadline != null) {
      // As ConnectionLifecycle's handshake deadline does for HTTP/2: silence holds resources.
      timer =
          ctx.executor()
              .schedule(
                  () -> {
                    log.log(Level.FINE, "closing {0}: no request in time", ctx.channel());
                    ctx.close();
                  },
                  deadline.toNanos(),
                  TimeUnit.NANOSECONDS);
    }
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) {
    if (timer != null) {
      timer.cancel(false);
    }
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    int seen = Math.min(in.readableBytes(), PREFACE.length);
    for (int i = 0; i < seen; i++) {
      if (in.getByte(in.readerIndex() + i) != PREFACE[i]) {
        switchTo(ctx, http1.get());
        return;
      }
    }
    if (seen == PREFACE.length) {
      switchTo(ctx, http2.get());
    }
  }

  /** The bytes read so far go on to the new handlers as this one leaves. */
  private void switchTo(ChannelHandlerContext ctx, ChannelHandler... handlers) {
    String after = ctx.name();
    for (ChannelHandler handler : handlers) {
      ctx.pipeline().addAfter(after, null, handler);
      after = ctx.pipeline().context(handler).name();
    }
    ctx.pipeline().remove(this);
  }
}
