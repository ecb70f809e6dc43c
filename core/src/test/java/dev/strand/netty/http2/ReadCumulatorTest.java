package dev.strand.netty.http2;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

/**
 * The cumulator on its own, as the connection's frame decoder calls it: it owns both buffers it is
 * given, keeps every byte in order, and never lets a trickle of small reads pile up components (a
 * peer can dribble a frame a byte at a time).
 */
public class ReadCumulatorTest {
  private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;

  private ByteBuf bytes(String s) {
    return alloc.directBuffer().writeBytes(s.getBytes(US_ASCII));
  }

  @Test
  void smallReadsAreCopiedTogether() {
    ByteBuf cumulation = ReadCumulator.INSTANCE.cumulate(alloc, bytes("tail"), bytes("more"));
    assertFalse(cumulation instanceof CompositeByteBuf);
    assertEquals("tailmore", cumulation.toString(US_ASCII));
    cumulation.release();
  }

  @Test
  void aLargeReadIsComposedOntoATailNotCopied() {
    String large = "x".repeat(8192);
    ByteBuf in = bytes(large);
    ByteBuf cumulation = ReadCumulator.INSTANCE.cumulate(alloc, bytes("tail"), in);
    assertInstanceOf(CompositeByteBuf.class, cumulation);
    assertEquals("tail" + large, cumulation.toString(US_ASCII));
    cumulation.release();
    assertEquals(0, in.refCnt(), "the read's buffer went with the composite");
  }

  @Test
  void aTrickleAfterALargeReadStaysOnePlainBuffer() {
    String large = "y".repeat(8192);
    ByteBuf cumulation = ReadCumulator.INSTANCE.cumulate(alloc, bytes("head"), bytes(large));
    StringBuilder expected = new StringBuilder("head").append(large);
    for (int i = 0; i < 2000; i++) {
      String one = String.valueOf((char) ('a' + i % 26));
      cumulation = ReadCumulator.INSTANCE.cumulate(alloc, cumulation, bytes(one));
      expected.append(one);
      assertFalse(cumulation instanceof CompositeByteBuf, "read " + i + " left a composite");
    }
    assertEquals(expected.toString(), cumulation.toString(US_ASCII));
    cumulation.release();
  }

  @Test
  void aConsumedCumulationIsNotComposedOnto() {
    ByteBuf empty = bytes("gone");
    empty.skipBytes(4);
    String large = "z".repeat(8192);
    ByteBuf cumulation = ReadCumulator.INSTANCE.cumulate(alloc, empty, bytes(large));
    assertFalse(cumulation instanceof CompositeByteBuf);
    assertEquals(large, cumulation.toString(US_ASCII));
    cumulation.release();
  }
}
