package dev.strand.stub;

/**
 * A StreamObserver that also exposes flow control, for async handlers and clients that want to
 * avoid buffering: send while {@link #isReady()}, resume in the on-ready handler.
 */
public interface CallStreamObserver<T> extends StreamObserver<T> {
  boolean isReady();

  /**
   * Whether the messages sent from now on are compressed with the call's encoding (default true):
   * turn it off for one message that mixes secrets with attacker-chosen data (compression.md).
   */
  void setMessageCompression(boolean enabled);

  /** Runs (on the event loop) each time the transport becomes ready again. */
  void setOnReadyHandler(Runnable handler);

  boolean isCancelled();

  /** Runs (on the event loop) if the call is cancelled. */
  void setOnCancelHandler(Runnable handler);
}
