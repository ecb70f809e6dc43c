package dev.strand.netty.http2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.netty.framing.MessageFramer;
import dev.strand.netty.framing.MessageReaderTest;
import dev.strand.netty.loop.DrainingPeers;
import dev.strand.netty.loop.DrainingPeersTest;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.Http2FrameSizePolicy;
import io.netty.handler.codec.http2.Http2FrameTypes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What {@link MessageWrite} puts on the channel: DATA frames that carry the message intact. */
public class MessageWriteTest {
  static final int STREAM = 3;
  static final int MAX_FRAME = 16_384;

  final EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
  final ChannelHandlerContext ctx = channel.pipeline().firstContext();
  final List<String> sent = new ArrayList<>();

  /** How often the connection heard that DATA of a message was written. */
  int dataWrites;

  final FrameHeaderArena headers = new FrameHeaderArena();

  /** The connection's peer, as the handler would pass it. */
  final DrainingPeers.Peer peer = new DrainingPeers.Peer();

  @AfterEach
  void close() {
    headers.release();
    channel.finishAndReleaseAll();
  }

  /** Netty's own frame writer's policy, at the HTTP/2 default of 16 KiB. */
  final Http2FrameSizePolicy frameSize =
      new DefaultHttp2FrameWriter().configuration().frameSizePolicy();

  MessageWrite write(ByteBuf framed) {
    assertEquals(MAX_FRAME, frameSize.maxFrameSize());
    return new MessageWrite(
        frameSize,
        headers,
        STREAM,
        framed,
        (bytes, ok) -> sent.add(bytes + (ok ? " sent" : " failed")),
        peer,
        () -> dataWrites++);
  }

  static byte[] random(int size) {
    byte[] b = new byte[size];
    new Random(size).nextBytes(b);
    return b;
  }

  static ByteBuf framed(byte[] payload) throws IOException {
    return MessageFramer.frame(
        new MessageReaderTest.Recording(), payload, PooledByteBufAllocator.DEFAULT, null);
  }

  /** The gRPC bytes of a message as they should arrive: prefix, then payload. */
  static byte[] grpcBytes(byte[] payload) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0);
    out.writeBytes(
        new byte[] {
          (byte) (payload.length >>> 24),
          (byte) (payload.length >>> 16),
          (byte) (payload.length >>> 8),
          (byte) payload.length
        });
    out.writeBytes(payload);
    return out.toByteArray();
  }

  /** Everything written to the channel so far, buffer by buffer. */
  List<ByteBuf> written() {
    channel.flush();
    List<ByteBuf> out = new ArrayList<>();
    for (ByteBuf buf; (buf = channel.readOutbound()) != null; ) {
      out.add(buf);
    }
    return out;
  }

  /**
   * Reads the buffers (releasing them) as DATA frames of our stream and returns their payloads
   * joined, checking each frame's header and size on the way.
   */
  static byte[] data(List<ByteBuf> written, List<Integer> frameSizes) {
    ByteBuf all = PooledByteBufAllocator.DEFAULT.buffer();
    try {
      for (ByteBuf out : written) {
        all.writeBytes(out);
        out.release();
      }
      ByteArrayOutputStream payloads = new ByteArrayOutputStream();
      while (all.isReadable()) {
        int length = all.readUnsignedMedium();
        assertEquals(Http2FrameTypes.DATA, all.readByte());
        assertEquals(0, all.readByte(), "no END_STREAM, no padding");
        assertEquals(STREAM, all.readInt());
        assertTrue(length <= MAX_FRAME, "frame of " + length + " bytes");
        frameSizes.add(length);
        payloads.writeBytes(ByteBufUtil.getBytes(all, all.readerIndex(), length));
        all.skipBytes(length);
      }
      return payloads.toByteArray();
    } finally {
      all.release();
    }
  }

  @Test
  void aSmallMessageGoesOutAsItsOwnBufferWithTheHeaderInItsHeadroom() throws IOException {
    byte[] payload = random(100);
    ByteBuf framed = framed(payload);
    write(framed).write(ctx, Integer.MAX_VALUE);

    List<ByteBuf> written = written();
    assertEquals(1, written.size(), "one write, not a header and a payload");
    assertSame(framed, written.get(0), "the message's own buffer, not a copy");
    List<Integer> frames = new ArrayList<>();
    assertArrayEquals(grpcBytes(payload), data(written, frames));
    assertEquals(List.of(105), frames);
    assertEquals(List.of("105 sent"), sent);
  }

  @Test
  void aMessageSentInWindowLimitedPartsArrivesIntact() throws IOException {
    // The first frame is a slice of the message, still queued when the rest goes.
    byte[] payload = random(10_000);
    MessageWrite write = write(framed(payload));
    write.write(ctx, 6_000);
    assertEquals(List.of(), sent, "not all of it has left");
    write.write(ctx, Integer.MAX_VALUE);

    List<Integer> frames = new ArrayList<>();
    assertArrayEquals(grpcBytes(payload), data(written(), frames));
    assertEquals(List.of(6_000, 4_005), frames);
    assertEquals(List.of("10005 sent"), sent);
  }

  @Test
  void eachPartWrittenTellsTheConnection() throws IOException {
    // The server forgives client pings when DATA is written (A8), which for a message that
    // flow control holds back is as each part leaves, not when the message was queued.
    MessageWrite write = write(framed(random(10_000)));
    assertEquals(0, dataWrites, "queued, nothing written yet");
    write.write(ctx, 6_000);
    assertEquals(1, dataWrites);
    write.write(ctx, 0);
    assertEquals(1, dataWrites, "no room, nothing written");
    write.write(ctx, Integer.MAX_VALUE);
    assertEquals(2, dataWrites);
    data(written(), new ArrayList<>()); // Reads and releases them.
  }

  @Test
  void aMessageLargerThanAFrameIsCutAtTheMaxFrameSize() throws IOException {
    byte[] payload = random(40_000);
    write(framed(payload)).write(ctx, Integer.MAX_VALUE);

    List<Integer> frames = new ArrayList<>();
    assertArrayEquals(grpcBytes(payload), data(written(), frames));
    assertEquals(List.of(MAX_FRAME, MAX_FRAME, 40_005 - 2 * MAX_FRAME), frames);
  }

  @Test
  void theFramerLeavesHeadroomForTheFirstFrameHeaderBeforeThePrefix() throws IOException {
    byte[] payload = random(3_000);
    ByteBuf plain = framed(payload);
    ByteBuf compressed =
        MessageFramer.frame(
            new MessageReaderTest.Recording(),
            payload,
            PooledByteBufAllocator.DEFAULT,
            dev.strand.wire.Codec.GZIP);
    try {
      assertEquals(MessageFramer.HEADROOM, plain.readerIndex());
      assertArrayEquals(grpcBytes(payload), ByteBufUtil.getBytes(plain));
      assertEquals(MessageFramer.HEADROOM, compressed.readerIndex());
      assertEquals(1, compressed.getByte(compressed.readerIndex()), "flagged compressed");
      assertEquals(
          compressed.readableBytes() - 5,
          compressed.getInt(compressed.readerIndex() + 1),
          "the prefix holds the compressed length");
    } finally {
      plain.release();
      compressed.release();
    }
  }

  @Test
  void framesAfterTheFirstAllocateNothing() throws IOException {
    CountingAllocator counting = new CountingAllocator();
    channel.config().setAllocator(counting);
    List<byte[]> payloads = new ArrayList<>();
    List<ByteBuf> written = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      payloads.add(random(40_000 + i));
      write(framed(payloads.get(i))).write(ctx, Integer.MAX_VALUE);
      written.addAll(written());
    }

    assertEquals(1, counting.allocations, "one block of headers for 40 frames after the first");
    List<Integer> frames = new ArrayList<>();
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    payloads.forEach(p -> expected.writeBytes(grpcBytes(p)));
    assertArrayEquals(expected.toByteArray(), data(written, frames));
    assertEquals(60, frames.size());
  }

  /** Counts the buffers a channel allocates; unpooled, so that each is an allocation. */
  static final class CountingAllocator extends AbstractByteBufAllocator {
    int allocations;

    CountingAllocator() {
      super(true);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
      allocations++;
      return Unpooled.buffer(initialCapacity, maxCapacity);
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
      allocations++;
      return Unpooled.directBuffer(initialCapacity, maxCapacity);
    }

    @Override
    public boolean isDirectBufferPooled() {
      return false;
    }
  }

  @Test
  void mergedMessagesLeaveTogetherInOrder() throws IOException {
    byte[] first = random(300);
    byte[] second = random(7_000);
    ByteBuf firstFramed = framed(first);
    MessageWrite write = write(firstFramed);
    assertTrue(write.merge(ctx, write(framed(second))));
    write.write(ctx, Integer.MAX_VALUE);

    List<ByteBuf> written = written();
    List<Integer> frames = new ArrayList<>();
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.writeBytes(grpcBytes(first));
    expected.writeBytes(grpcBytes(second));
    assertArrayEquals(expected.toByteArray(), data(written, frames));
    assertEquals(List.of(7_310), frames);
    assertEquals(0, firstFramed.refCnt(), "released once what was written of it is");
    assertEquals(List.of("305 sent", "7005 sent"), sent);
  }

  /** What each {@link #endTurn} said, on the loop thread of a draining test. */
  final List<Boolean> turnEnds = new ArrayList<>();

  /** Ends the loop's turn (call on the loop thread) and records what it said. */
  void endTurn() {
    turnEnds.add(DrainingPeers.ofThisThread().endTurn());
  }

  /** Checks what reached the channel, in bytes, and what each recorded turn end said. */
  void assertWrittenAndTurnEnds(int bytes, Boolean... ends) {
    assertEquals(bytes, data(written(), new ArrayList<>()).length);
    assertEquals(List.of(ends), turnEnds);
  }

  @Test
  void messagesThatWaitedForThePeerTellTheLoopThePeerIsDraining() throws Exception {
    DrainingPeersTest.onLoop(
        () -> {
          MessageWrite first = write(framed(random(1_000)));
          MessageWrite second = write(framed(random(2_000)));
          endTurn(); // both wait for window
          first.write(ctx, Integer.MAX_VALUE); // the peer made room for one
          endTurn();
          second.write(ctx, Integer.MAX_VALUE);
          endTurn(); // nothing waits
        });
    assertWrittenAndTurnEnds(3_010, false, true, false);
  }

  @Test
  void mergedMessagesAreGoneWhenTheItemTheyJoinedIsWritten() throws Exception {
    DrainingPeersTest.onLoop(
        () -> {
          MessageWrite first = write(framed(random(1_000)));
          assertTrue(first.merge(ctx, write(framed(random(2_000)))));
          endTurn();
          first.write(ctx, Integer.MAX_VALUE);
          endTurn(); // room made, but the merged message no longer waits
        });
    assertWrittenAndTurnEnds(3_010, false, false);
  }

  @Test
  void aMessageDroppedWithItsStreamIsGoneWithoutRoomMade() throws Exception {
    DrainingPeersTest.onLoop(
        () -> {
          MessageWrite dropped = write(framed(random(1_000)));
          MessageWrite waited = write(framed(random(2_000)));
          DrainingPeers.ofThisThread().endTurn(); // not recorded
          dropped.error(ctx, new IllegalStateException("stream reset"));
          endTurn(); // the peer took nothing
          MessageWrite later = write(framed(random(500)));
          waited.write(ctx, Integer.MAX_VALUE);
          endTurn(); // room made, and a message waits
          DrainingPeers.ofThisThread().endTurn(); // not recorded
          later.write(ctx, Integer.MAX_VALUE);
          endTurn(); // the dropped message's bytes no longer count
        });
    assertWrittenAndTurnEnds(2_510, false, true, false);
  }

  @Test
  void aStreamThatEndsFirstReleasesTheMessageAndSaysSo() throws IOException {
    ByteBuf framed = framed(random(50));
    write(framed).error(ctx, new IllegalStateException("stream reset"));
    assertEquals(0, framed.refCnt());
    assertEquals(List.of("55 failed"), sent);
  }
}
