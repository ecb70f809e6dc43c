package dev.strand.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameSizePolicy;
import io.netty.handler.codec.http2.Http2FrameTypes;
import io.netty.handler.codec.http2.Http2RemoteFlowController;
import java.util.ArrayList;
import java.util.List;

/**
 * One framed gRPC message waiting in a stream's HTTP/2 flow-control queue, written as DATA
 * frames (never END_STREAM) as the windows allow. Netty's own DATA path wraps each write in a
 * buffer queue, a promise per frame and per piece, and listeners to join them; a message needs
 * none of that. A small frame goes out as one buffer, header and payload together.
 *
 * <p>Messages queued behind one another (the peer's window is full, or the channel is not
 * writable) merge into one item, so that when the way opens they leave in full-size frames
 * rather than a frame each.
 *
 * <p>The call learns once per message, through {@link Sent}, when the message has left the
 * stream's queue for the channel (from then on the channel's own writability holds back further
 * writes), or that it never will because the stream ended first. A merged message is reported
 * when the whole merged item has left.
 */
final class MessageWrite implements Http2RemoteFlowController.FlowControlled {
  /** Frames up to this many payload bytes are copied next to their header: one write, not two. */
  static final int COPY_LIMIT = 4096;
  /** Merged messages beyond this many are copied together by the composite buffer. */
  private static final int MAX_COMPONENTS = 64;

  /** Told once per message. */
  interface Sent {
    void onSent(int bytes, boolean success);
  }

  /** Holds the peer's SETTINGS_MAX_FRAME_SIZE, which may change between writes. */
  private final Http2FrameSizePolicy frameSize;
  private final int streamId;
  private final int bytes;
  private final Sent sent;
  private ByteBuf data;
  /** Messages merged into this one, told when this item has left; null until the first. */
  private List<MessageWrite> merged;

  MessageWrite(Http2FrameSizePolicy frameSize, int streamId, ByteBuf data, Sent sent) {
    this.frameSize = frameSize;
    this.streamId = streamId;
    this.data = data;
    this.bytes = data.readableBytes();
    this.sent = sent;
  }

  @Override
  public int size() {
    return data == null ? 0 : data.readableBytes();
  }

  @Override
  public void write(ChannelHandlerContext ctx, int allowedBytes) {
    if (data == null) {
      return;
    }
    int remaining = Math.min(data.readableBytes(), allowedBytes);
    int maxFrame = frameSize.maxFrameSize();
    while (remaining > 0) {
      int chunk = Math.min(remaining, maxFrame);
      writeFrame(ctx, chunk);
      remaining -= chunk;
    }
    if (!data.isReadable()) {
      data.release();
      data = null;
      tellAll(true);
    }
  }

  private void tellAll(boolean success) {
    sent.onSent(bytes, success);
    if (merged != null) {
      for (MessageWrite other : merged) {
        other.sent.onSent(other.bytes, success);
      }
    }
  }

  /**
   * Writes with the void promise: a failed write means the connection is going down, and the
   * handler closes it quietly; the call hears of it when its stream closes.
   */
  private void writeFrame(ChannelHandlerContext ctx, int length) {
    if (length <= COPY_LIMIT) {
      ByteBuf frame = ctx.alloc().directBuffer(Http2CodecUtil.FRAME_HEADER_LENGTH + length);
      writeHeader(frame, length);
      frame.writeBytes(data, length);
      ctx.write(frame, ctx.voidPromise());
    } else {
      ByteBuf header = ctx.alloc().directBuffer(Http2CodecUtil.FRAME_HEADER_LENGTH);
      writeHeader(header, length);
      ctx.write(header, ctx.voidPromise());
      ctx.write(data.readRetainedSlice(length), ctx.voidPromise());
    }
  }

  /** A DATA frame header: no END_STREAM (a message never ends the stream), no padding. */
  private void writeHeader(ByteBuf out, int length) {
    FrameWriter.setFrameHeader(out, out.writerIndex(), length, Http2FrameTypes.DATA, (short) 0,
        streamId);
    out.writerIndex(out.writerIndex() + Http2CodecUtil.FRAME_HEADER_LENGTH);
  }

  @Override
  public void writeComplete() {
    // Nothing to do: a message never ends the stream.
  }

  /** The stream ended (reset or closed) while this waited. */
  @Override
  public void error(ChannelHandlerContext ctx, Throwable cause) {
    if (data != null) {
      data.release();
      data = null;
      tellAll(false);
    }
  }

  /** Takes over the next queued message of the same stream, if it is one. */
  @Override
  public boolean merge(ChannelHandlerContext ctx, Http2RemoteFlowController.FlowControlled next) {
    if (!(next instanceof MessageWrite other) || data == null || other.data == null
        || other.merged != null || Integer.MAX_VALUE - data.capacity() < other.size()) {
      return false;
    }
    CompositeByteBuf composite;
    if (data instanceof CompositeByteBuf existing && merged != null) {
      composite = existing;
    } else {
      composite = ctx.alloc().compositeDirectBuffer(MAX_COMPONENTS);
      composite.addComponent(true, data);
      data = composite;
      merged = new ArrayList<>(4);
    }
    ByteBuf taken = other.data;
    other.data = null; // Now this item's to release, whatever happens.
    merged.add(other);
    composite.addComponent(true, taken);
    return true;
  }
}
