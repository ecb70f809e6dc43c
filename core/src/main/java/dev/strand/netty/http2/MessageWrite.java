package dev.strand.netty.http2;

import dev.strand.netty.framing.Composites;
import dev.strand.netty.framing.MessageFramer;
import dev.strand.netty.loop.DrainingPeers;
import dev.strand.netty.stream.DataSent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameSizePolicy;
import io.netty.handler.codec.http2.Http2RemoteFlowController;
import java.util.ArrayList;
import java.util.List;

/**
 * One framed gRPC message waiting in a stream's HTTP/2 flow-control queue, written as DATA frames
 * (never END_STREAM) as the windows allow. Netty's own DATA path wraps each write in a buffer
 * queue, a promise per frame and per piece, and listeners to join them; a message needs none of
 * that. The first frame's header goes in the headroom {@link MessageFramer} leaves in front of the
 * message, so a message that fits one frame goes out as one buffer, header and payload together,
 * with nothing copied or allocated; later frames take their headers from the connection's {@link
 * FrameHeaderArena}.
 *
 * <p>Messages queued behind one another (the peer's window is full, or the channel is not writable)
 * merge into one item, so that when the way opens they leave in full-size frames rather than a
 * frame each.
 *
 * <p>The call learns once per message, through {@link DataSent}, when the message has left the
 * stream's queue for the channel (from then on the channel's own writability holds back further
 * writes), or that it never will because the stream ended first. A merged message is reported when
 * the whole merged item has left.
 */
public final class MessageWrite implements Http2RemoteFlowController.FlowControlled {
  private static final int HEADER = Http2CodecUtil.FRAME_HEADER_LENGTH;

  /** Merged messages beyond this many are copied together by the composite buffer. */
  private static final int MAX_COMPONENTS = 64;

  /** Holds the peer's SETTINGS_MAX_FRAME_SIZE, which may change between writes. */
  private final Http2FrameSizePolicy frameSize;

  private final FrameHeaderArena headers;
  private final int streamId;
  private final int bytes;
  private final DataSent sent;

  /** The connection's peer, told when this message waited for it and when it is gone. */
  private final DrainingPeers.Peer peer;

  /** The connection's, run whenever DATA frames of this message are written. */
  private final Runnable dataWritten;

  private final long queuedInTurn;
  private ByteBuf data;

  /** True until the first frame is written: the bytes before the reader index are free. */
  private boolean headroomFree;

  /** Messages merged into this one, told when this item has left; null until the first. */
  private List<MessageWrite> merged;

  /**
   * {@code data} is a framed message from {@link MessageFramer}, whose headroom this write takes
   * over. {@code dataWritten} runs each time frames of it are written, which may be long after it
   * was queued: the server's ping enforcement counts from then (A8).
   */
  MessageWrite(
      Http2FrameSizePolicy frameSize,
      FrameHeaderArena headers,
      int streamId,
      ByteBuf data,
      DataSent sent,
      DrainingPeers.Peer peer,
      Runnable dataWritten) {
    this.frameSize = frameSize;
    this.headers = headers;
    this.streamId = streamId;
    this.data = data;
    this.headroomFree = data.readerIndex() >= HEADER;
    this.bytes = data.readableBytes();
    this.sent = sent;
    this.peer = peer;
    this.dataWritten = dataWritten;
    this.queuedInTurn = peer.queued(bytes);
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
    if (remaining > 0) {
      peer.wrote(queuedInTurn);
      dataWritten.run();
    }
    int maxFrame = frameSize.maxFrameSize();
    while (remaining > 0) {
      int chunk = Math.min(remaining, maxFrame);
      writeFrame(ctx, chunk);
      remaining -= chunk;
    }
    if (data != null && !data.isReadable()) {
      data.release();
      data = null;
    }
    if (data == null) {
      tellAll(true);
    }
  }

  private void tellAll(boolean success) {
    peer.gone(bytes);
    sent.onSent(bytes, success);
    if (merged != null) {
      for (MessageWrite other : merged) {
        other.peer.gone(other.bytes);
        other.sent.onSent(other.bytes, success);
      }
    }
  }

  /**
   * Writes with the void promise: a failed write means the connection is going down, and the
   * handler closes it quietly; the call hears of it when its stream closes.
   */
  private void writeFrame(ChannelHandlerContext ctx, int length) {
    if (!headroomFree) {
      ctx.write(headers.dataHeader(ctx.alloc(), length, streamId), ctx.voidPromise());
      ctx.write(data.readRetainedSlice(length), ctx.voidPromise());
      return;
    }
    headroomFree = false;
    int start = data.readerIndex() - HEADER;
    FrameHeaderArena.setDataHeader(data, start, length, streamId);
    if (length == data.readableBytes()) {
      // The whole message in one frame: the buffer itself goes, handed over to the channel.
      data.readerIndex(start);
      ctx.write(data, ctx.voidPromise());
      data = null;
    } else {
      ctx.write(data.retainedSlice(start, HEADER + length), ctx.voidPromise());
      data.skipBytes(length);
    }
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
    if (!(next instanceof MessageWrite other)
        || data == null
        || other.data == null
        || other.merged != null
        || Integer.MAX_VALUE - data.capacity() < other.size()) {
      return false;
    }
    CompositeByteBuf composite;
    if (data instanceof CompositeByteBuf existing && merged != null) {
      composite = existing;
    } else {
      composite = Composites.untracked(ctx.alloc(), MAX_COMPONENTS);
      composite.addComponent(true, data);
      data = composite;
      merged = new ArrayList<>(4);
    }
    headroomFree = false; // A composite has nothing before its first byte.
    ByteBuf taken = other.data;
    other.data = null; // Now this item's to release, whatever happens.
    merged.add(other);
    composite.addComponent(true, taken);
    return true;
  }
}
