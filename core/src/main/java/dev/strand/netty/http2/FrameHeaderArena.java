package dev.strand.netty.http2;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameTypes;

/**
 * Hands out the 9-byte headers of a connection's DATA frames as slices of one pooled block, instead
 * of a pooled buffer each. Why: a pooled allocation costs far more than its bytes. Netty's leak
 * detector, on by default, samples one allocation in 128 and takes two stack traces for it, and a
 * 64 KiB message leaves in five frames. A slice shares its block's leak record and reference count,
 * so only the block, once per {@value #HEADERS_PER_BLOCK} headers, is an allocation. The block
 * lives until its last header has been written. Event loop only.
 */
public final class FrameHeaderArena {
  static final int HEADERS_PER_BLOCK = 128;
  private static final int HEADER = Http2CodecUtil.FRAME_HEADER_LENGTH;

  private ByteBuf block;

  /** The header of a DATA frame with no flags (a message never ends a stream), as a buffer. */
  ByteBuf dataHeader(ByteBufAllocator alloc, int payloadLength, int streamId) {
    if (block == null || block.writableBytes() < HEADER) {
      release();
      block = alloc.directBuffer(HEADER * HEADERS_PER_BLOCK, HEADER * HEADERS_PER_BLOCK);
    }
    int at = block.writerIndex();
    setDataHeader(block, at, payloadLength, streamId);
    block.writerIndex(at + HEADER);
    return block.retainedSlice(at, HEADER);
  }

  /** Writes the header of a DATA frame with no flags at {@code index} of {@code out}. */
  static void setDataHeader(ByteBuf out, int index, int payloadLength, int streamId) {
    FrameWriter.setFrameHeader(
        out, index, payloadLength, Http2FrameTypes.DATA, (short) 0, streamId);
  }

  /** Lets go of the current block; headers handed out stay valid until they are released. */
  void release() {
    if (block != null) {
      block.release();
      block = null;
    }
  }
}
