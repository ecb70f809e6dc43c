package dev.strand.netty.http2;

import dev.strand.netty.headers.UnindexedHeaders;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Flags;
import io.netty.handler.codec.http2.Http2FrameTypes;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.concurrent.PromiseCombiner;
import io.netty.util.internal.PlatformDependent;

/**
 * Netty's frame writer, except that a HEADERS frame is HPACK-encoded straight after room left for
 * its frame header and goes out as one buffer with the caller's promise. Netty's writes the frame
 * header and the block separately, joined by a promise aggregator: two writes, three promises and a
 * slice for every header block, and a call has two or three of those.
 */
public final class FrameWriter extends DefaultHttp2FrameWriter {
  private static final int HEADER = Http2CodecUtil.FRAME_HEADER_LENGTH;
  private final DefaultHttp2HeadersEncoder headersEncoder;
  private Runnable headersWritten = () -> {};

  FrameWriter() {
    this(new DefaultHttp2HeadersEncoder(UnindexedHeaders.INSTANCE));
  }

  private FrameWriter(DefaultHttp2HeadersEncoder headersEncoder) {
    super(headersEncoder);
    this.headersEncoder = headersEncoder;
  }

  /**
   * Runs {@code task} whenever a header block is written. Here rather than where a call asks for
   * it: trailers queued behind flow-controlled DATA are written only when that DATA is. (Only this
   * form: Strand never writes the one with a priority.)
   */
  void onHeadersWritten(Runnable task) {
    headersWritten = task;
  }

  @Override
  public ChannelFuture writeHeaders(
      ChannelHandlerContext ctx,
      int streamId,
      Http2Headers headers,
      int padding,
      boolean endStream,
      ChannelPromise promise) {
    headersWritten.run();
    if (padding != 0 || streamId <= 0) {
      return super.writeHeaders(ctx, streamId, headers, padding, endStream, promise);
    }
    ByteBuf frame = ctx.alloc().directBuffer(256);
    try {
      frame.writerIndex(HEADER);
      headersEncoder.encodeHeaders(streamId, headers, frame);
    } catch (Http2Exception e) {
      frame.release();
      return promise.setFailure(e);
    } catch (Throwable t) {
      frame.release();
      promise.setFailure(t);
      PlatformDependent.throwException(t);
      return promise;
    }
    int blockLength = frame.writerIndex() - HEADER;
    int maxFrame = maxFrameSize();
    short endStreamFlag = endStream ? Http2Flags.END_STREAM : 0;
    if (blockLength <= maxFrame) {
      setFrameHeader(
          frame,
          0,
          blockLength,
          Http2FrameTypes.HEADERS,
          (short) (endStreamFlag | Http2Flags.END_HEADERS),
          streamId);
      return ctx.write(frame, promise);
    }
    return writeWithContinuations(ctx, frame, maxFrame, endStreamFlag, streamId, promise);
  }

  /** A block larger than one frame: HEADERS, then CONTINUATION frames, the last ending it. */
  private static ChannelFuture writeWithContinuations(
      ChannelHandlerContext ctx,
      ByteBuf frame,
      int maxFrame,
      short endStreamFlag,
      int streamId,
      ChannelPromise promise) {
    PromiseCombiner combiner = new PromiseCombiner(ctx.executor());
    setFrameHeader(frame, 0, maxFrame, Http2FrameTypes.HEADERS, endStreamFlag, streamId);
    combiner.add(ctx.write(frame.retainedSlice(0, HEADER + maxFrame)));
    int offset = HEADER + maxFrame;
    while (offset < frame.writerIndex()) {
      int length = Math.min(maxFrame, frame.writerIndex() - offset);
      boolean last = offset + length == frame.writerIndex();
      ByteBuf header = ctx.alloc().directBuffer(HEADER);
      header.writerIndex(HEADER);
      setFrameHeader(
          header,
          0,
          length,
          Http2FrameTypes.CONTINUATION,
          last ? Http2Flags.END_HEADERS : 0,
          streamId);
      combiner.add(ctx.write(header));
      combiner.add(ctx.write(frame.retainedSlice(offset, length)));
      offset += length;
    }
    frame.release();
    combiner.finish(promise);
    return promise;
  }

  /** Sets the 9-byte frame header at {@code at} (the buffer must already have room there). */
  static void setFrameHeader(
      ByteBuf buf, int at, int length, byte type, short flags, int streamId) {
    buf.setMedium(at, length);
    buf.setByte(at + 3, type);
    buf.setByte(at + 4, flags);
    buf.setInt(at + 5, streamId);
  }
}
