package dev.strand.netty.http2;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.DecoratingHttp2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2LifecycleManager;
import java.util.concurrent.TimeUnit;

/**
 * Closes a server connection whose peer keeps provoking error resets ("MadeYouReset",
 * CVE-2025-8671; Netty's advisory is CVE-2025-55163): frames that make the server reset streams
 * free the stream slots without the client ever sending RST_STREAM itself. CANCEL and NO_ERROR
 * resets are normal and not counted. Netty's builder adds this protection to servers; Strand
 * assembles its own codec, so it keeps its own, with the same limit (200 per 30 s).
 */
public final class ResetFrameLimitEncoder extends DecoratingHttp2ConnectionEncoder {
  private final int maxPerWindow;
  private final long windowNanos;
  private Http2LifecycleManager lifecycleManager;
  private long windowStart = System.nanoTime();
  private int inWindow;

  ResetFrameLimitEncoder(Http2ConnectionEncoder delegate, int maxPerWindow, int windowSeconds) {
    super(delegate);
    this.maxPerWindow = maxPerWindow;
    this.windowNanos = TimeUnit.SECONDS.toNanos(windowSeconds);
  }

  @Override
  public void lifecycleManager(Http2LifecycleManager lifecycleManager) {
    this.lifecycleManager = lifecycleManager;
    super.lifecycleManager(lifecycleManager);
  }

  @Override
  public ChannelFuture writeRstStream(
      ChannelHandlerContext ctx, int streamId, long errorCode, ChannelPromise promise) {
    ChannelFuture future = super.writeRstStream(ctx, streamId, errorCode, promise);
    if (errorCode == Http2Error.CANCEL.code() || errorCode == Http2Error.NO_ERROR.code()) {
      return future;
    }
    long now = System.nanoTime();
    if (now - windowStart >= windowNanos) {
      windowStart = now;
      inWindow = 0;
    }
    if (++inWindow > maxPerWindow) {
      lifecycleManager.onError(
          ctx,
          true,
          Http2Exception.connectionError(
              Http2Error.ENHANCE_YOUR_CALM,
              "more than %d stream errors in %d s",
              maxPerWindow,
              TimeUnit.NANOSECONDS.toSeconds(windowNanos)));
      ctx.close();
    }
    return future;
  }
}
