package dev.strand.client;

import dev.strand.Deadline;
import java.time.Duration;

/** Per-call settings. Immutable: each {@code with} returns a copy. */
public final class CallOptions {
  private static final Object[] NO_OPTIONS = new Object[0];
  public static final CallOptions DEFAULT =
      new CallOptions(null, null, null, -1, -1, null, NO_OPTIONS);

  private final Deadline deadline;
  private final Deadline parentDeadline;
  private final String compression;
  private final int maxInboundMessageSize;
  private final int maxOutboundMessageSize;

  /** Null until the call chooses: then a service config's waitForReady decides. */
  private final Boolean waitForReady;

  /** Custom options: key, value, key, value... Few per call, so a copied array beats a map. */
  private final Object[] custom;

  private CallOptions(
      Deadline deadline,
      Deadline parentDeadline,
      String compression,
      int maxInboundMessageSize,
      int maxOutboundMessageSize,
      Boolean waitForReady,
      Object[] custom) {
    this.deadline = deadline;
    this.parentDeadline = parentDeadline;
    this.compression = compression;
    this.maxInboundMessageSize = maxInboundMessageSize;
    this.maxOutboundMessageSize = maxOutboundMessageSize;
    this.waitForReady = waitForReady;
    this.custom = custom;
  }

  /** The deadline this call was given, or null (then the channel's default timeout applies). */
  public Deadline deadline() {
    return deadline;
  }

  public CallOptions withDeadline(Deadline deadline) {
    return new CallOptions(
        deadline,
        parentDeadline,
        compression,
        maxInboundMessageSize,
        maxOutboundMessageSize,
        waitForReady,
        custom);
  }

  /**
   * The deadline of the call being served when this one was made, or null. It caps the call's own
   * deadline without counting as one: a channel's default timeout still applies when it is the
   * smaller.
   */
  public Deadline parentDeadline() {
    return parentDeadline;
  }

  public CallOptions withParentDeadline(Deadline parent) {
    return new CallOptions(
        deadline,
        parent,
        compression,
        maxInboundMessageSize,
        maxOutboundMessageSize,
        waitForReady,
        custom);
  }

  /** The deadline the call runs to: the earlier of its own and its parent's. */
  public Deadline effectiveDeadline() {
    return Deadline.earliest(deadline, parentDeadline);
  }

  public CallOptions withTimeout(Duration timeout) {
    return withDeadline(Deadline.after(timeout));
  }

  /** The message encoding for requests ("gzip", "identity"), or null for the channel default. */
  public String compression() {
    return compression;
  }

  public CallOptions withCompression(String encoding) {
    return new CallOptions(
        deadline,
        parentDeadline,
        encoding,
        maxInboundMessageSize,
        maxOutboundMessageSize,
        waitForReady,
        custom);
  }

  /** The largest response message accepted, or -1 for the channel's limit. */
  public int maxInboundMessageSize() {
    return maxInboundMessageSize;
  }

  public CallOptions withMaxInboundMessageSize(int bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("maxInboundMessageSize must be >= 0");
    }
    return new CallOptions(
        deadline, parentDeadline, compression, bytes, maxOutboundMessageSize, waitForReady, custom);
  }

  /**
   * The largest request message this call may send, measured after per-message compression, or -1
   * for no limit (the default). A larger message fails the call with RESOURCE_EXHAUSTED and is not
   * sent. A service config's {@code maxRequestMessageBytes} lowers it.
   */
  public int maxOutboundMessageSize() {
    return maxOutboundMessageSize;
  }

  public CallOptions withMaxOutboundMessageSize(int bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("maxOutboundMessageSize must be >= 0");
    }
    return new CallOptions(
        deadline, parentDeadline, compression, maxInboundMessageSize, bytes, waitForReady, custom);
  }

  /**
   * Wait-for-ready (wait-for-ready.md): while the channel cannot connect, the call waits for a
   * connection (until its deadline) instead of failing at once with UNAVAILABLE.
   */
  public boolean waitForReady() {
    return Boolean.TRUE.equals(waitForReady);
  }

  public CallOptions withWaitForReady() {
    return withWaitForReady(true);
  }

  /**
   * Fail-fast, chosen explicitly: the call fails at once with UNAVAILABLE while the channel cannot
   * connect, even if the service config asks its method to wait for ready.
   */
  public CallOptions withoutWaitForReady() {
    return withWaitForReady(false);
  }

  private CallOptions withWaitForReady(boolean wait) {
    return new CallOptions(
        deadline,
        parentDeadline,
        compression,
        maxInboundMessageSize,
        maxOutboundMessageSize,
        wait,
        custom);
  }

  /**
   * Whether the call chose wait-for-ready or fail-fast itself ({@link #withWaitForReady()}, {@link
   * #withoutWaitForReady()}). If not, it is fail-fast unless the service config's {@code
   * waitForReady} for its method says otherwise.
   */
  public boolean waitForReadyChosen() {
    return waitForReady != null;
  }

  /**
   * A custom option: something an interceptor, a tracer or the transport passes along with a call,
   * under a key its owner holds. Compared by identity: only who has the key reads or sets it.
   */
  public static final class Key<T> {
    private final String name;

    private Key(String name) {
      this.name = name;
    }

    public static <T> Key<T> of(String name) {
      return new Key<>(name);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** A copy with {@code key} set to {@code value} (replacing what it was). */
  public <T> CallOptions withOption(Key<T> key, T value) {
    int at = indexOf(key);
    Object[] next;
    if (at >= 0) {
      next = custom.clone();
    } else {
      next = java.util.Arrays.copyOf(custom, custom.length + 2);
      at = custom.length;
      next[at] = key;
    }
    next[at + 1] = value;
    return new CallOptions(
        deadline,
        parentDeadline,
        compression,
        maxInboundMessageSize,
        maxOutboundMessageSize,
        waitForReady,
        next);
  }

  /** The value set for {@code key}, or null. */
  @SuppressWarnings("unchecked")
  public <T> T option(Key<T> key) {
    int at = indexOf(key);
    return at < 0 ? null : (T) custom[at + 1];
  }

  private int indexOf(Key<?> key) {
    for (int i = 0; i < custom.length; i += 2) {
      if (custom[i] == key) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public String toString() {
    return "CallOptions[deadline="
        + deadline
        + ", parentDeadline="
        + parentDeadline
        + ", compression="
        + compression
        + ", maxInbound="
        + maxInboundMessageSize
        + ", maxOutbound="
        + maxOutboundMessageSize
        + ", waitForReady="
        + waitForReady
        + "]";
  }
}
