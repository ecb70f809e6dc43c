package dev.strand.netty.framing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.Status;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

public class MessageDeframerTest {
  final List<String> messages = new ArrayList<>();
  final List<Class<?>> kinds = new ArrayList<>();
  int returned;
  boolean ended;
  Status error;
  final MessageDeframer deframer =
      new MessageDeframer(
          new MessageDeframer.Sink() {
            @Override
            public void onMessage(ByteBuf message, boolean compressed) {
              messages.add(message.toString(StandardCharsets.UTF_8));
              kinds.add(message.getClass());
              message.release();
            }

            @Override
            public void onEnd() {
              ended = true;
            }

            @Override
            public void onError(Status status) {
              error = status;
            }

            @Override
            public void returnBytes(int bytes) {
              returned += bytes;
            }
          },
          PooledByteBufAllocator.DEFAULT,
          1 << 20);

  @AfterEach
  void close() {
    deframer.close();
  }

  static ByteBuf frame(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return PooledByteBufAllocator.DEFAULT.buffer().writeByte(0).writeInt(b.length).writeBytes(b);
  }

  @Test
  void deliversOnlyWhatWasRequestedAndHoldsTheWindowForTheRest() {
    ByteBuf two = Unpooled.wrappedBuffer(frame("ab"), frame("cd"));
    deframer.feed(two);
    assertEquals(List.of(), messages);
    assertEquals(0, returned, "nothing consumed, nothing returned to the window");
    deframer.request(1);
    assertEquals(List.of("ab"), messages);
    assertEquals(7, returned);
    deframer.request(5);
    assertEquals(List.of("ab", "cd"), messages);
    assertEquals(14, returned);
  }

  @Test
  void reassemblesMessagesSplitAcrossFrames() {
    ByteBuf whole = frame("hello world");
    deframer.request(1);
    deframer.feed(whole.readRetainedSlice(3));
    deframer.feed(whole.readRetainedSlice(6));
    assertTrue(messages.isEmpty());
    assertEquals(9, returned, "a wanted partial message gives its bytes back so the rest can come");
    deframer.feed(whole.readRetainedSlice(whole.readableBytes()));
    whole.release();
    assertEquals(List.of("hello world"), messages);
    assertEquals(16, returned);
  }

  @Test
  void endIsDeliveredAfterTheLastMessage() {
    deframer.feed(frame("x"));
    deframer.endOfStream();
    assertFalse(ended);
    deframer.request(1);
    assertEquals(List.of("x"), messages);
    assertTrue(ended);
  }

  @Test
  void truncatedStreamIsAnError() {
    ByteBuf f = frame("abcdef");
    f.writerIndex(f.writerIndex() - 2);
    deframer.request(1);
    deframer.feed(f);
    deframer.endOfStream();
    assertNotNull(error);
    assertEquals(Status.Code.INTERNAL, error.code());
  }

  @Test
  void oversizedPrefixIsRejectedBeforeAnyBody() {
    deframer.request(1);
    deframer.feed(PooledByteBufAllocator.DEFAULT.buffer().writeByte(0).writeInt(0x7FFFFFF0));
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, error.code());
    assertTrue(error.description().contains("2147483632"), error.description());
  }

  @Test
  void unknownFlagsAreAnError() {
    deframer.request(1);
    deframer.feed(PooledByteBufAllocator.DEFAULT.buffer().writeByte(0x80).writeInt(0));
    assertEquals(Status.Code.INTERNAL, error.code());
  }

  static String text(int length) {
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      s.append((char) ('a' + i % 26));
    }
    return s.toString();
  }

  /** Feeds {@code whole} in pieces of {@code piece} bytes, as DATA frames would bring it. */
  void feedInPieces(ByteBuf whole, int piece) {
    while (whole.isReadable()) {
      deframer.feed(whole.readRetainedSlice(Math.min(piece, whole.readableBytes())));
    }
    whole.release();
  }

  @Test
  void largeMessageInManyFramesIsGatheredIntoAnArrayOfItsOwn() {
    String body = text(64 * 1024);
    deframer.request(1);
    feedInPieces(frame(body), 16 * 1024);
    assertEquals(List.of(body), messages);
    assertEquals(List.of(GatheredMessage.class), kinds);
    assertEquals(5 + body.length(), returned, "every byte goes back to the window");
  }

  @Test
  void messagesAroundAGatheredOneStayIntact() {
    String big = text(40_000);
    ByteBuf all = Unpooled.wrappedBuffer(frame("first"), frame(big), frame("last"));
    deframer.request(3);
    feedInPieces(all, 4096);
    assertEquals(List.of("first", big, "last"), messages);
    assertEquals(GatheredMessage.class, kinds.get(1));
    assertEquals(3 * 5 + 5 + big.length() + 4, returned);
  }

  @Test
  void smallOrWholeMessagesAreNotGathered() {
    String big = text(40_000);
    deframer.request(2);
    feedInPieces(frame("small one"), 3);
    deframer.feed(frame(big));
    assertEquals(List.of("small one", big), messages);
    assertFalse(kinds.contains(GatheredMessage.class), kinds::toString);
  }

  @Test
  void noArrayIsMadeForAMessageThatHasBarelyStarted() {
    // A peer announcing 1 MiB and sending 5 KiB must not cost a 1 MiB array: the start waits in
    // the buffer, and a body that then arrives whole is sliced, not gathered.
    String big = text((1 << 20) - 5);
    ByteBuf whole = frame(big);
    deframer.request(1);
    deframer.feed(whole.readRetainedSlice(5 * 1024));
    assertEquals(5 * 1024, returned, "the start is still given back so the rest can come");
    deframer.feed(whole.readRetainedSlice(whole.readableBytes()));
    whole.release();
    assertEquals(List.of(big), messages);
    assertFalse(kinds.contains(GatheredMessage.class), kinds::toString);
  }

  @Test
  void streamEndingInAGatheredMessageSaysHowFarItGot() {
    ByteBuf whole = frame(text(64 * 1024));
    deframer.request(1);
    deframer.feed(whole.readRetainedSlice(16 * 1024));
    deframer.feed(whole.readRetainedSlice(16 * 1024));
    deframer.endOfStream();
    whole.release();
    assertTrue(messages.isEmpty());
    assertEquals(Status.Code.INTERNAL, error.code());
    assertTrue(
        error.description().contains("32768 bytes of a 65541-byte frame"), error.description());
  }

  @Test
  void withoutDemandNothingIsGatheredOrReturned() {
    ByteBuf whole = frame(text(64 * 1024));
    deframer.feed(whole.readRetainedSlice(20_000));
    assertEquals(0, returned, "no demand: the window stays closed");
    deframer.request(1);
    assertEquals(20_000, returned);
    deframer.feed(whole.readRetainedSlice(whole.readableBytes()));
    whole.release();
    assertEquals(1, messages.size());
    assertEquals(GatheredMessage.class, kinds.get(0));
  }
}
