package dev.strand.netty;

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

class MessageDeframerTest {
  final List<String> messages = new ArrayList<>();
  int returned;
  boolean ended;
  Status error;
  final MessageDeframer deframer = new MessageDeframer(new MessageDeframer.Sink() {
    @Override
    public void onMessage(ByteBuf message, boolean compressed) {
      messages.add(message.toString(StandardCharsets.UTF_8));
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
  }, PooledByteBufAllocator.DEFAULT, 1024);

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
}
