package dev.strand.netty.framing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.strand.Marshaller;
import dev.strand.Status;
import dev.strand.StatusException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

public class MessageReaderTest {
  /** Records which parse method the reader chose, and returns the bytes it was given. */
  public static final class Recording implements Marshaller<byte[]> {
    String used;

    @Override
    public int sizeOf(byte[] value) {
      return value.length;
    }

    @Override
    public void write(byte[] value, ByteBuffer target) {
      target.put(value);
    }

    @Override
    public byte[] parse(ByteBuffer source) {
      used = "buffer";
      byte[] out = new byte[source.remaining()];
      source.get(out);
      return out;
    }

    @Override
    public byte[] parseOwned(byte[] source, int length) {
      used = "owned";
      // An owned array is exactly the message: the reader must not pass a larger one.
      assertEquals(source.length, length);
      return source;
    }

    @Override
    public byte[] parse(InputStream source) throws IOException {
      used = "stream";
      return source.readAllBytes();
    }
  }

  final Recording marshaller = new Recording();

  static byte[] bytes(int size) {
    byte[] b = new byte[size];
    new Random(size).nextBytes(b);
    return b;
  }

  /** A message spread over direct buffers the way DATA frames deliver it. */
  static ByteBuf pieces(byte[] message, int pieceSize) {
    var composite = PooledByteBufAllocator.DEFAULT.compositeDirectBuffer(Integer.MAX_VALUE);
    for (int off = 0; off < message.length; off += pieceSize) {
      int len = Math.min(pieceSize, message.length - off);
      composite.addComponent(
          true, PooledByteBufAllocator.DEFAULT.directBuffer(len).writeBytes(message, off, len));
    }
    return composite;
  }

  byte[] read(ByteBuf message) {
    byte[] parsed = MessageReader.read(message, false, null, marshaller, Integer.MAX_VALUE);
    assertEquals(0, message.refCnt(), "the reader releases the message");
    return parsed;
  }

  @Test
  void largeMessagesAreParsedFromAnArrayOfTheirOwn() {
    for (int size : new int[] {MessageReader.OWNED_FROM, 64 * 1024 + 5, 3 << 20}) {
      byte[] message = bytes(size);
      assertArrayEquals(message, read(pieces(message, 16 * 1024)));
      assertEquals("owned", marshaller.used, "size " + size);
    }
  }

  @Test
  void smallerMessagesGoThroughTheScratchArrayWithoutStaleBytes() {
    byte[] big = bytes(MessageReader.OWNED_FROM - 1);
    assertArrayEquals(big, read(pieces(big, 1000)));
    assertEquals("buffer", marshaller.used);
    byte[] small = bytes(7); // after a larger one: only its own bytes may be parsed
    assertArrayEquals(small, read(pieces(small, 3)));
    assertEquals("buffer", marshaller.used);
  }

  @Test
  void heapMessagesAreParsedInPlace() {
    byte[] message = bytes(100_000);
    assertArrayEquals(message, read(Unpooled.wrappedBuffer(message)));
    assertEquals("buffer", marshaller.used);
  }

  @Test
  void aCompressedMessageWithoutAnEncodingIsInternal() {
    StatusException e =
        assertThrows(
            StatusException.class,
            () ->
                MessageReader.read(
                    pieces(bytes(10), 10), true, null, marshaller, Integer.MAX_VALUE));
    assertEquals(Status.Code.INTERNAL, e.status().code());
  }
}
