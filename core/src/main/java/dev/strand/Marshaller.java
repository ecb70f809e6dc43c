package dev.strand;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * Turns messages into bytes and back. The transport asks for the exact size first so it can write
 * the 5-byte gRPC prefix and the message into one pooled buffer with no copy, and hands over its
 * own buffers for parsing.
 */
public interface Marshaller<T> {

  /** The exact number of bytes {@link #write} will produce. */
  int sizeOf(T value);

  /** Writes exactly {@link #sizeOf} bytes at the buffer's position. */
  void write(T value, ByteBuffer target) throws IOException;

  /** Parses one whole message from a contiguous buffer (heap or direct). */
  T parse(ByteBuffer source) throws IOException;

  /**
   * Parses one whole message from an array the caller gives up: the message may keep references
   * into it instead of copying its bytes fields out.
   */
  default T parseOwned(byte[] source, int length) throws IOException {
    return parse(ByteBuffer.wrap(source, 0, length));
  }

  /** Parses one whole message from a stream, used when the bytes are not contiguous. */
  T parse(InputStream source) throws IOException;
}
