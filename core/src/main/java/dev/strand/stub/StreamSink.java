package dev.strand.stub;

/**
 * Where a blocking handler or client writes a stream of messages. {@link #send} blocks while the
 * peer's flow-control window is full, so a fast writer waits for a slow reader with bounded memory
 * and no callbacks.
 */
public interface StreamSink<T> {

  /**
   * Sends one message, waiting for room if needed.
   *
   * @throws dev.strand.StatusException if the call was cancelled or has already ended
   */
  void send(T message);

  /** True if {@link #send} would not wait right now. */
  boolean isReady();

  /** Whether messages sent from now on are compressed with the call's encoding (default true). */
  void setMessageCompression(boolean enabled);
}
