package dev.strand.spi;

import dev.strand.Status;
import java.util.Objects;

/**
 * A {@link LoadBalancer.Picker}'s answer for one call: a subchannel to run on, no decision yet (the
 * call waits for the next picker), an error (fail-fast calls fail with it, wait-for-ready calls
 * wait), or a drop (the call fails with it, wait-for-ready or not).
 */
public final class PickResult {
  private static final PickResult QUEUE = new PickResult(null, null, false);

  private final LoadBalancer.Subchannel subchannel;
  private final Status status;
  private final boolean drop;

  private PickResult(LoadBalancer.Subchannel subchannel, Status status, boolean drop) {
    this.subchannel = subchannel;
    this.status = status;
    this.drop = drop;
  }

  /**
   * The call runs on {@code subchannel}, which must be READY (if its connection is gone by then,
   * the call waits for the next picker). Make one per subchannel and reuse it: a pick then
   * allocates nothing.
   */
  public static PickResult withSubchannel(LoadBalancer.Subchannel subchannel) {
    return new PickResult(Objects.requireNonNull(subchannel, "subchannel"), null, false);
  }

  /** No subchannel yet: the call waits for the next picker. */
  public static PickResult queue() {
    return QUEUE;
  }

  /** Fail-fast calls fail with {@code error} (not OK); wait-for-ready calls wait. */
  public static PickResult withError(Status error) {
    return new PickResult(null, requireError(error), false);
  }

  /** The call fails with {@code error} even if it waits for ready (load shedding, say). */
  public static PickResult withDrop(Status error) {
    return new PickResult(null, requireError(error), true);
  }

  private static Status requireError(Status error) {
    if (Objects.requireNonNull(error, "error").isOk()) {
      throw new IllegalArgumentException("a failed pick needs an error status, not OK");
    }
    return error;
  }

  /** The chosen subchannel, or null. */
  public LoadBalancer.Subchannel subchannel() {
    return subchannel;
  }

  /** The error of a failed or dropped pick, or null. */
  public Status status() {
    return status;
  }

  public boolean isDrop() {
    return drop;
  }

  @Override
  public String toString() {
    return subchannel != null
        ? "PickResult[" + subchannel.address() + "]"
        : status != null
            ? "PickResult[" + (drop ? "drop " : "error ") + status + "]"
            : "PickResult[queue]";
  }
}
