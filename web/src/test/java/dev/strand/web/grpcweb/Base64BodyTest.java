package dev.strand.web.grpcweb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Base64BodyTest {
  private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

  /** Decodes the text fed in pieces of the given sizes, the last piece taking the rest. */
  private static byte[] decodeInPieces(byte[] text, int... pieces) throws Exception {
    Base64Body body = new Base64Body();
    ByteBuf all = Unpooled.buffer();
    int at = 0;
    for (int i = 0; i <= pieces.length; i++) {
      int size = i < pieces.length ? pieces[i] : text.length - at;
      ByteBuf in = Unpooled.wrappedBuffer(text, at, size);
      ByteBuf out = body.decode(in, ALLOC);
      assertFalse(in.isReadable(), "all of a piece is consumed");
      all.writeBytes(out);
      out.release();
      at += size;
    }
    assertFalse(body.midGroup());
    return ByteBufUtil.getBytes(all);
  }

  @Test
  void decodesWhatTheJdkEncodesInAnyPieces() throws Exception {
    Random random = new Random(42);
    for (int length = 0; length < 40; length++) {
      byte[] data = new byte[length];
      random.nextBytes(data);
      byte[] text = Base64.getEncoder().encode(data);
      assertArrayEquals(data, decodeInPieces(text));
      if (text.length > 5) {
        assertArrayEquals(data, decodeInPieces(text, 1, 2, 2));
      }
    }
  }

  /** A sender may pad wherever it flushed: padded chunks one after another. */
  @Test
  void paddedChunksMayFollowOneAnother() throws Exception {
    byte[] text = "AQ==AgM=BAUG".getBytes(StandardCharsets.US_ASCII);
    assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6}, decodeInPieces(text, 3));
  }

  @Test
  void anUnfinishedGroupIsHeldAndReported() throws Exception {
    Base64Body body = new Base64Body();
    ByteBuf out = body.decode(Unpooled.copiedBuffer("AQI", StandardCharsets.US_ASCII), ALLOC);
    assertEquals(0, out.readableBytes());
    out.release();
    assertTrue(body.midGroup());
  }

  @Test
  void rejectsWhatIsNotBase64() {
    for (String bad : new String[] {"AA AA", "AA\nAA", "AB-_", "=AAA", "A=AA", "AA=A", "AAA*"}) {
      Base64Body body = new Base64Body();
      ByteBuf in = Unpooled.copiedBuffer(bad, StandardCharsets.US_ASCII);
      assertThrows(Base64Body.MalformedException.class, () -> body.decode(in, ALLOC), bad);
    }
  }

  @Test
  void encodesEachPiecePaddedAfterTheHeadroom() {
    ByteBuf data = Unpooled.wrappedBuffer(new byte[] {1, 2, 3, 4});
    ByteBuf text = Base64Body.encode(data, ALLOC, 9);
    assertEquals(9, text.readerIndex(), "room for the frame header");
    assertEquals("AQIDBA==", text.toString(StandardCharsets.US_ASCII));
    assertEquals(0, data.refCnt(), "the input is released");
    text.release();
  }
}
