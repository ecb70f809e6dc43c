package dev.strand.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * How a connection joins the tail of a frame cut off at the end of one socket read to the bytes
 * of the next. Netty copies both into one buffer by default, which suits small reads; but when
 * large DATA frames stream in, nearly every read ends mid-frame, and that copy moved every byte
 * of the stream once more before it was even parsed. So a large read is composed with the tail
 * instead of copied; small ones are still copied together.
 */
final class ReadCumulator implements ByteToMessageDecoder.Cumulator {
  static final ReadCumulator INSTANCE = new ReadCumulator();
  /** Reads at least this large are composed, not copied, onto a tail. */
  private static final int COMPOSE_FROM = 4096;

  private ReadCumulator() {}

  @Override
  public ByteBuf cumulate(ByteBufAllocator alloc, ByteBuf cumulation, ByteBuf in) {
    boolean compose = cumulation instanceof CompositeByteBuf
        || (cumulation.isReadable() && in.readableBytes() >= COMPOSE_FROM);
    return compose
        ? ByteToMessageDecoder.COMPOSITE_CUMULATOR.cumulate(alloc, cumulation, in)
        : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(alloc, cumulation, in);
  }
}
