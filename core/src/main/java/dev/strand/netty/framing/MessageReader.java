package dev.strand.netty.framing;

import dev.strand.Marshaller;
import dev.strand.Status;
import dev.strand.StatusException;
import dev.strand.wire.Codec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/** Turns one received message buffer into an object: decompresses (bounded) and parses. */
public final class MessageReader {
  /**
   * Messages from this size on are copied into an array of their own, which the parsed message may
   * keep: protobuf's bytes fields then share it instead of being copied out once more. Below it,
   * the thread's scratch array is cheaper than a fresh one, which the JVM must zero first.
   */
  static final int OWNED_FROM = 32 * 1024;

  private static final ThreadLocal<byte[]> SCRATCH =
      ThreadLocal.withInitial(() -> new byte[OWNED_FROM]);

  private MessageReader() {}

  /** Parses and releases {@code message}. */
  public static <T> T read(
      ByteBuf message,
      boolean compressed,
      Codec codec,
      Marshaller<T> marshaller,
      int maxMessageSize) {
    try {
      if (compressed) {
        if (codec == null) {
          throw Status.INTERNAL
              .withDescription("message is flagged compressed but the stream has no grpc-encoding")
              .asException();
        }
        try (InputStream in =
            new LimitedInputStream(
                codec.decompress(new ByteBufInputStream(message)), maxMessageSize)) {
          return marshaller.parse(in);
        }
      }
      if (message instanceof GatheredMessage gathered) {
        return marshaller.parseOwned(gathered.array(), gathered.readableBytes());
      }
      if (message.hasArray()) {
        return marshaller.parse(message.nioBuffer());
      }
      // Off-heap, or spread over several DATA frames: one copy into an array. protobuf-java
      // would copy a direct buffer into an array anyway, and parses a stream over the pieces far
      // slower than an array.
      int size = message.readableBytes();
      if (size >= OWNED_FROM) {
        byte[] owned = new byte[size];
        message.getBytes(message.readerIndex(), owned, 0, size);
        return marshaller.parseOwned(owned, size);
      }
      byte[] scratch = SCRATCH.get();
      message.getBytes(message.readerIndex(), scratch, 0, size);
      return marshaller.parse(ByteBuffer.wrap(scratch, 0, size));
    } catch (StatusException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
        if (c instanceof StatusException se) {
          throw se;
        }
      }
      throw Status.INTERNAL
          .withDescription("cannot parse message: " + e.getMessage())
          .withCause(e)
          .asException();
    } finally {
      message.release();
    }
  }

  /** Fails as soon as a decompressed message passes the limit: no decompression bombs. */
  private static final class LimitedInputStream extends java.io.FilterInputStream {
    private final int limit;
    private long count;

    LimitedInputStream(InputStream in, int limit) {
      super(in);
      this.limit = limit;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(int n) throws IOException {
      count += n;
      if (count > limit) {
        throw new IOException(
            Status.RESOURCE_EXHAUSTED
                .withDescription(
                    "decompressed message is larger than the limit of " + limit + " bytes")
                .asException());
      }
    }
  }
}
