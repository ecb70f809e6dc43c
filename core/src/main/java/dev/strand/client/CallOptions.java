package dev.strand.client;

import dev.strand.Deadline;
import java.time.Duration;

/** Per-call settings. Immutable: each {@code with} returns a copy. */
public final class CallOptions {
  public static final CallOptions DEFAULT = new CallOptions(null, null, -1, false);

  private final Deadline deadline;
  private final String compression;
  private final int maxInboundMessageSize;

  private final boolean waitForReady;

  private CallOptions(Deadline deadline, String compression, int maxInboundMessageSize,
      boolean waitForReady) {
    this.waitForReady = waitForReady;
    this.deadline = deadline;
    this.compression = compression;
    this.maxInboundMessageSize = maxInboundMessageSize;
  }

  public Deadline deadline() {
    return deadline;
  }

  public CallOptions withDeadline(Deadline deadline) {
    return new CallOptions(deadline, compression, maxInboundMessageSize, waitForReady);
  }

  public CallOptions withTimeout(Duration timeout) {
    return withDeadline(Deadline.after(timeout));
  }

  /** The message encoding for requests ("gzip", "identity"), or null for the channel default. */
  public String compression() {
    return compression;
  }

  public CallOptions withCompression(String encoding) {
    return new CallOptions(deadline, encoding, maxInboundMessageSize, waitForReady);
  }

  /** The largest response message accepted, or -1 for the channel's limit. */
  public int maxInboundMessageSize() {
    return maxInboundMessageSize;
  }

  public CallOptions withMaxInboundMessageSize(int bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("maxInboundMessageSize must be >= 0");
    }
    return new CallOptions(deadline, compression, bytes, waitForReady);
  }

  /**
   * Wait-for-ready (wait-for-ready.md): while the channel cannot connect, the call waits for a
   * connection (until its deadline) instead of failing at once with UNAVAILABLE.
   */
  public boolean waitForReady() {
    return waitForReady;
  }

  public CallOptions withWaitForReady() {
    return new CallOptions(deadline, compression, maxInboundMessageSize, true);
  }

  @Override
  public String toString() {
    return "CallOptions[deadline=" + deadline + ", compression=" + compression
        + ", maxInbound=" + maxInboundMessageSize + "]";
  }
}
