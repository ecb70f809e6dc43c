package dev.strand.netty.framing;

import dev.strand.Marshaller;
import dev.strand.netty.http2.MessageWrite;
import dev.strand.wire.Codec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.handler.codec.http2.Http2CodecUtil;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * Writes one gRPC length-prefixed message into a pooled buffer. Uncompressed messages are
 * serialized straight after the 5-byte prefix, in place: one allocation and no copies.
 *
 * <p>The buffer keeps {@link #HEADROOM} unused bytes in front of the prefix (before its reader
 * index), where {@link MessageWrite} puts the header of the message's first DATA frame: a message
 * that fits one frame then leaves as one buffer, with nothing allocated or copied.
 */
public final class MessageFramer {
  public static final int HEADER_LENGTH = 5;
  public static final int HEADROOM = Http2CodecUtil.FRAME_HEADER_LENGTH;

  private MessageFramer() {}

  public static <T> ByteBuf frame(
      Marshaller<T> marshaller, T message, ByteBufAllocator alloc, Codec codec) throws IOException {
    return codec == null
        ? framePlain(marshaller, message, alloc)
        : frameCompressed(marshaller, message, alloc, codec);
  }

  private static <T> ByteBuf framePlain(Marshaller<T> marshaller, T message, ByteBufAllocator alloc)
      throws IOException {
    int size = marshaller.sizeOf(message);
    ByteBuf buf = withHeadroom(alloc, HEADER_LENGTH + size);
    try {
      buf.writeByte(0).writeInt(size);
      if (size > 0) {
        ByteBuffer target = buf.nioBuffer(buf.writerIndex(), size);
        marshaller.write(message, target);
        if (target.hasRemaining()) {
          throw new IOException(
              "marshaller wrote " + target.position() + " bytes, sizeOf said " + size);
        }
      }
      buf.writerIndex(buf.writerIndex() + size);
      return buf;
    } catch (IOException | RuntimeException e) {
      buf.release();
      throw e;
    }
  }

  /** A buffer for {@code bytes} (a first guess, if compressed) with the headroom skipped. */
  private static ByteBuf withHeadroom(ByteBufAllocator alloc, int bytes) {
    ByteBuf buf = alloc.directBuffer(HEADROOM + bytes);
    buf.writerIndex(HEADROOM).readerIndex(HEADROOM);
    return buf;
  }

  private static <T> ByteBuf frameCompressed(
      Marshaller<T> marshaller, T message, ByteBufAllocator alloc, Codec codec) throws IOException {
    int size = marshaller.sizeOf(message);
    ByteBuffer plain = ByteBuffer.allocate(size);
    marshaller.write(message, plain);
    ByteBuf buf = withHeadroom(alloc, HEADER_LENGTH + size / 2 + 64);
    try {
      buf.writeByte(1).writeInt(0);
      try (OutputStream out = codec.compress(new ByteBufOutputStream(buf))) {
        out.write(plain.array(), 0, size);
      }
      buf.setInt(buf.readerIndex() + 1, buf.readableBytes() - HEADER_LENGTH);
      return buf;
    } catch (IOException | RuntimeException e) {
      buf.release();
      throw e;
    }
  }
}
