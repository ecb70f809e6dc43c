package dev.strand.netty.http2;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.DecoratingHttp2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2LifecycleManager;

/**
 * Closes the connection when the peer makes us queue too many control frames (SETTINGS acks, PING
 * acks, RST_STREAM) that it does not read: a peer that floods and never reads would otherwise grow
 * our outbound buffer without bound. Netty's builder adds the same protection, but Strand assembles
 * its codec itself (for its own header decoder), so it keeps its own.
 */
public final class ControlFrameLimitEncoder extends DecoratingHttp2ConnectionEncoder {
  private final int maxOutstanding;
  private Http2LifecycleManager lifecycleManager;
  private int outstanding;
  private final ChannelFutureListener onWritten = future -> outstanding--;
  private boolean limitReached;

  ControlFrameLimitEncoder(Http2ConnectionEncoder delegate, int maxOutstanding) {
    super(delegate);
    this.maxOutstanding = maxOutstanding;
  }

  @Override
  public void lifecycleManager(Http2LifecycleManager lifecycleManager) {
    this.lifecycleManager = lifecycleManager;
    super.lifecycleManager(lifecycleManager);
  }

  @Override
  public ChannelFuture writeSettingsAck(ChannelHandlerContext ctx, ChannelPromise promise) {
    return super.writeSettingsAck(ctx, counted(ctx, promise));
  }

  @Override
  public ChannelFuture writePing(
      ChannelHandlerContext ctx, boolean ack, long data, ChannelPromise promise) {
    return super.writePing(ctx, ack, data, ack ? counted(ctx, promise) : promise);
  }

  @Override
  public ChannelFuture writeRstStream(
      ChannelHandlerContext ctx, int streamId, long errorCode, ChannelPromise promise) {
    return super.writeRstStream(ctx, streamId, errorCode, counted(ctx, promise));
  }

  private ChannelPromise counted(ChannelHandlerContext ctx, ChannelPromise promise) {
    if (limitReached) {
      return promise;
    }
    if (outstanding >= maxOutstanding) {
      ctx.flush(); // Writing out what is queued may free room.
    }
    if (outstanding >= maxOutstanding) {
      limitReached = true;
      lifecycleManager.onError(
          ctx,
          true,
          Http2Exception.connectionError(
              Http2Error.ENHANCE_YOUR_CALM,
              "more than %d control frames queued unread",
              maxOutstanding));
      ctx.close();
    }
    outstanding++;
    return promise.unvoid().addListener(onWritten);
  }
}
