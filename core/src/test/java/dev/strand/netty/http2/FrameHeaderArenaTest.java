package dev.strand.netty.http2;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.Http2FrameTypes;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link FrameHeaderArena}: correct headers, one allocation per block, nothing kept. */
public class FrameHeaderArenaTest {
  final MessageWriteTest.CountingAllocator alloc = new MessageWriteTest.CountingAllocator();
  final FrameHeaderArena arena = new FrameHeaderArena();

  @Test
  void eachHeaderNamesItsLengthAndStreamAndABlockServesManyHeaders() {
    int count = FrameHeaderArena.HEADERS_PER_BLOCK + 2;
    List<ByteBuf> headers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      headers.add(arena.dataHeader(alloc, 1000 + i, 2 * i + 1));
    }
    assertEquals(2, alloc.allocations, "a second block only once the first is full");
    for (int i = 0; i < count; i++) {
      ByteBuf header = headers.get(i);
      assertEquals(9, header.readableBytes());
      assertEquals(1000 + i, header.readUnsignedMedium());
      assertEquals(Http2FrameTypes.DATA, header.readByte());
      assertEquals(0, header.readByte(), "no flags: a message never ends the stream");
      assertEquals(2 * i + 1, header.readInt());
    }
    headers.forEach(ByteBuf::release);
    arena.release();
  }

  @Test
  void headersOutliveTheArenaAndTheBlockIsFreedWithTheLastOfThem() {
    ByteBuf first = arena.dataHeader(alloc, 16_384, 3);
    ByteBuf second = arena.dataHeader(alloc, 5, 3);
    ByteBuf block = first.unwrap();
    arena.release();

    assertEquals(5, second.getUnsignedMedium(0), "still readable after the arena let go");
    first.release();
    assertEquals(1, block.refCnt());
    second.release();
    assertEquals(0, block.refCnt());
  }
}
