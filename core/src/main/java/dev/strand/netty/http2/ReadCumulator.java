package dev.strand.netty.http2;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * How a connection joins the tail of a frame cut off at the end of one socket read to the bytes of
 * the next. Netty copies both into one buffer by default, which suits small reads; but when large
 * DATA frames stream in, nearly every read ends mid-frame, and that copy moved every byte of the
 * stream once more before it was even parsed. So a large read is composed with the tail instead of
 * copied; small ones are still copied together.
 *
 * <p>Like Netty's cumulators, {@link #consolidate} always releases {@code in}, and releases {@code
 * cumulation} only when it returns a new buffer in its place.
 */
public final class ReadCumulator implements ByteToMessageDecoder.Cumulator {
  static final ReadCumulator INSTANCE = new ReadCumulator();

  /** Reads at least this large are composed, not copied, onto a tail. */
  private static final int COMPOSE_FROM = 4096;

  private ReadCumulator() {}

  @Override
  public ByteBuf cumulate(ByteBufAllocator alloc, ByteBuf cumulation, ByteBuf in) {
    if (cumulation.isReadable() && in.readableBytes() >= COMPOSE_FROM) {
      return ByteToMessageDecoder.COMPOSITE_CUMULATOR.cumulate(alloc, cumulation, in);
    }
    if (cumulation instanceof CompositeByteBuf) {
      return consolidate(alloc, cumulation, in);
    }
    return ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(alloc, cumulation, in);
  }

  /**
   * A small read after composed ones: everything pending goes into one plain buffer with room to
   * spare, so that a trickle of small reads (a peer dribbling a frame a byte at a time) is appended
   * in place rather than growing the composite by a component per read.
   */
  private static ByteBuf consolidate(ByteBufAllocator alloc, ByteBuf cumulation, ByteBuf in) {
    ByteBuf merged = null;
    try {
      int pending = cumulation.readableBytes() + in.readableBytes();
      merged = alloc.buffer(Math.max(2 * pending, COMPOSE_FROM));
      merged.writeBytes(cumulation).writeBytes(in);
    } catch (Throwable t) {
      if (merged != null) {
        merged.release();
      }
      throw t;
    } finally {
      in.release();
    }
    cumulation.release();
    return merged;
  }
}
