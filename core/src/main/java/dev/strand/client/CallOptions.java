package dev.strand.client;

import dev.strand.Deadline;
import java.time.Duration;

/** Per-call settings. Immutable: each {@code with} returns a copy. */
public final class CallOptions {
  public static final CallOptions DEFAULT = new CallOptions(null, null, -1);

  private final Deadline deadline;
  private final String compression;
  private final int maxInboundMessageSize;

  private CallOptions(Deadline deadline, String compression, int maxInboundMessageSize) {
    this.deadline = deadline;
    this.compression = compression;
    this.maxInboundMessageSize = maxInboundMessageSize;
  }

  public Deadline deadline() {
    return deadline;
  }

  public CallOptions withDeadline(Deadline deadline) {
    return new CallOptions(deadline, compression, maxInboundMessageSize);
  }

  public CallOptions withTimeout(Duration timeout) {
    return withDeadline(Deadline.after(timeout));
  }

  /** The message encoding for requests ("gzip", "identity"), or null for the channel default. */
  public String compression() {
    return compression;
  }

  public CallOptions withCompression(String encoding) {
    return new CallOptions(deadline, encoding, maxInboundMessageSize);
  }

  /** The largest response message accepted, or -1 for the channel's limit. */
  public int maxInboundMessageSize() {
    return maxInboundMessageSize;
  }

  public CallOptions withMaxInboundMessageSize(int bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("maxInboundMessageSize must be >= 0");
    }
    return new CallOptions(deadline, compression, bytes);
  }

  @Override
  public String toString() {
    return "CallOptions[deadline=" + deadline + ", compression=" + compression
        + ", maxInbound=" + maxInboundMessageSize + "]";
  }
}
