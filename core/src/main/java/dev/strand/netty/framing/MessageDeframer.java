package dev.strand.netty.framing;

import dev.strand.Status;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;

/**
 * Cuts the DATA bytes of one stream into gRPC messages, delivering only as many as were requested.
 * Event loop only.
 *
 * <p>Flow control lives here: received bytes are returned to the HTTP/2 window only when they are
 * consumed, that is, while there is demand. A reader that stops requesting stops the sender once
 * the window fills, so memory stays bounded by the window.
 *
 * <p>A large uncompressed message that spans DATA frames is gathered: its bytes are copied into an
 * array of its own as they arrive, instead of joining the frames in a composite and copying out of
 * that. The array is what the parser would copy the message into anyway, and frames are copied
 * while they are still in the cache. A peer cannot make it allocate much more than it sent: the
 * array is made only once an eighth of the message has arrived.
 */
public final class MessageDeframer {
  /** A large message is gathered once this fraction (one in N) of it has arrived. */
  private static final int GATHER_AFTER_ONE_IN = 8;

  /** Where messages and window updates go. */
  public interface Sink {
    /** One whole message; the sink owns (and must release) the buffer. */
    void onMessage(ByteBuf message, boolean compressed);

    /** The peer ended the stream and every message before the end was delivered. */
    void onEnd();

    /** The stream broke the framing rules or a limit; the deframer is closed already. */
    void onError(Status status);

    /** These bytes were consumed and may be returned to the peer's flow-control window. */
    void returnBytes(int bytes);
  }

  private final Sink sink;
  private final ByteBufAllocator alloc;

  /**
   * Received bytes not yet consumed: null, one received buffer, or (only once bytes of two DATA
   * frames must be joined) a composite. Most messages arrive within one DATA frame and are sliced
   * out of it without a composite.
   */
  private ByteBuf buffer;

  private int maxMessageSize;
  private int demand;
  private boolean readingBody;
  private boolean compressed;
  private int bodyLength;
  private int returnedAhead;
  private boolean endOfStream;
  private boolean endDelivered;
  private boolean closed;
  private boolean delivering;

  /** The body being gathered, or null. */
  private byte[] gathering;

  private int gathered;

  public MessageDeframer(Sink sink, ByteBufAllocator alloc, int maxMessageSize) {
    this.sink = sink;
    this.alloc = alloc;
    this.maxMessageSize = maxMessageSize;
  }

  void maxMessageSize(int bytes) {
    this.maxMessageSize = bytes;
  }

  /** Takes ownership of {@code data}. */
  public void feed(ByteBuf data) {
    if (closed || endOfStream) {
      sink.returnBytes(data.readableBytes());
      data.release();
      return;
    }
    if (!data.isReadable()) {
      data.release();
    } else if (buffer == null || !buffer.isReadable()) {
      releaseBuffer();
      buffer = data;
    } else if (buffer instanceof CompositeByteBuf composite) {
      composite.addComponent(true, data);
    } else {
      CompositeByteBuf composite = Composites.untracked(alloc, 64);
      composite.addComponent(true, buffer);
      composite.addComponent(true, data);
      buffer = composite;
    }
    deliver();
  }

  private int buffered() {
    return buffer == null ? 0 : buffer.readableBytes();
  }

  public void request(int n) {
    if (n <= 0 || closed) {
      return;
    }
    demand = (int) Math.min(Integer.MAX_VALUE, (long) demand + n);
    deliver();
  }

  public void endOfStream() {
    endOfStream = true;
    deliver();
  }

  /** True when every message has been handed out and the end was delivered. */
  public boolean isDrained() {
    return endDelivered;
  }

  /** Drops everything; the stream is over. */
  public void close() {
    if (!closed) {
      closed = true;
      gathering = null;
      releaseBuffer();
    }
  }

  private void releaseBuffer() {
    if (buffer != null) {
      buffer.release();
      buffer = null;
    }
  }

  private void deliver() {
    if (delivering || closed) {
      return;
    }
    delivering = true;
    try {
      while (!closed && demand > 0 && readNext()) {
        // one message delivered per turn
      }
      if (closed) {
        return;
      }
      if (endOfStream && !endDelivered && buffered() == 0 && !readingBody) {
        endDelivered = true;
        sink.onEnd();
        return;
      }
      if (endOfStream && !endDelivered && demand > 0) {
        fail(
            Status.INTERNAL.withDescription(
                "stream ended in the middle of a message ("
                    + (readingBody
                        ? (MessageFramer.HEADER_LENGTH + gathered + buffered())
                            + " bytes of a "
                            + (MessageFramer.HEADER_LENGTH + bodyLength)
                            + "-byte frame)"
                        : buffered() + " bytes of a 5-byte header)")));
        return;
      }
      if (demand > 0) {
        // Waiting for the rest of a message we want: give its bytes back so it can arrive.
        int unreturned = buffered() - returnedAhead;
        if (unreturned > 0) {
          returnedAhead += unreturned;
          sink.returnBytes(unreturned);
        }
      }
    } finally {
      delivering = false;
    }
  }

  /** Reads one header or one message; false if more bytes are needed. */
  private boolean readNext() {
    if (!readingBody) {
      if (buffered() < MessageFramer.HEADER_LENGTH) {
        return false;
      }
      int flags = buffer.readUnsignedByte();
      long length = buffer.readUnsignedInt();
      consumed(MessageFramer.HEADER_LENGTH);
      if ((flags & 0xFE) != 0) {
        fail(
            Status.INTERNAL.withDescription(
                "gRPC frame has unknown flags 0x" + Integer.toHexString(flags)));
        return false;
      }
      if (length > maxMessageSize) {
        fail(
            Status.RESOURCE_EXHAUSTED.withDescription(
                "message of "
                    + length
                    + " bytes is larger than the limit of "
                    + maxMessageSize
                    + " bytes"));
        return false;
      }
      compressed = flags == 1;
      bodyLength = (int) length;
      readingBody = true;
    }
    if (gathering == null && worthGathering()) {
      gathering = new byte[bodyLength];
    }
    if (gathering != null) {
      return gatherBody();
    }
    if (buffered() < bodyLength) {
      return false;
    }
    ByteBuf message = takeMessage(bodyLength);
    consumed(bodyLength);
    discardRead();
    handOut(message, compressed);
    return true;
  }

  /** The body is complete: the next read starts at a header. */
  private void handOut(ByteBuf message, boolean compressed) {
    readingBody = false;
    demand--;
    sink.onMessage(message, compressed);
  }

  /**
   * Large enough that the reader would copy it into an array of its own, not all here yet, and at
   * least {@value #GATHER_AFTER_ONE_IN}th of it here.
   */
  private boolean worthGathering() {
    int buffered = buffered();
    return !compressed
        && bodyLength >= MessageReader.OWNED_FROM
        && buffered < bodyLength
        && (long) buffered * GATHER_AFTER_ONE_IN >= bodyLength;
  }

  /** Copies what has arrived of the body; delivers it once whole. */
  private boolean gatherBody() {
    int n = Math.min(buffered(), bodyLength - gathered);
    if (n > 0) {
      buffer.readBytes(gathering, gathered, n);
      gathered += n;
      consumed(n);
      discardRead();
    }
    if (gathered < bodyLength) {
      return false;
    }
    ByteBuf message = new GatheredMessage(gathering);
    gathering = null;
    gathered = 0;
    handOut(message, false);
    return true;
  }

  /** Lets go of what was read: the whole buffer, or a composite's read components. */
  private void discardRead() {
    if (!buffer.isReadable()) {
      releaseBuffer();
    } else if (buffer instanceof CompositeByteBuf composite) {
      composite.discardReadComponents();
    }
  }

  /**
   * The next {@code length} bytes as a buffer of their own that shares memory with what was
   * received: no copy, and safe from the composite discarding its read components.
   */
  private ByteBuf takeMessage(int length) {
    if (length == 0) {
      return Unpooled.EMPTY_BUFFER;
    }
    if (!(buffer instanceof CompositeByteBuf composite)) {
      return buffer.readRetainedSlice(length);
    }
    // Not a slice of the composite: its indexes shift when it discards read components.
    List<ByteBuf> parts = composite.decompose(composite.readerIndex(), length);
    composite.skipBytes(length);
    if (parts.size() == 1) {
      return parts.get(0).retain();
    }
    CompositeByteBuf message = Composites.untracked(alloc, parts.size());
    for (ByteBuf part : parts) {
      message.addComponent(true, part.retain());
    }
    return message;
  }

  /** Bytes left the buffer: return those not returned in advance. */
  private void consumed(int bytes) {
    int fromAhead = Math.min(bytes, returnedAhead);
    returnedAhead -= fromAhead;
    if (bytes > fromAhead) {
      sink.returnBytes(bytes - fromAhead);
    }
  }

  private void fail(Status status) {
    close();
    sink.onError(status);
  }
}
