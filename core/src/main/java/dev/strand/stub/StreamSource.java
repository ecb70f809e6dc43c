package dev.strand.stub;

/**
 * A stream of messages read by blocking iteration. Iteration ends when the peer finishes the stream
 * normally; it throws {@link dev.strand.StatusException} if the call fails or is cancelled. Closing
 * a source before its end cancels the call.
 */
public interface StreamSource<T> extends Iterable<T>, AutoCloseable {

  /** The next message, or null at the end of the stream; blocks until one arrives. */
  T next();

  @Override
  void close();
}
