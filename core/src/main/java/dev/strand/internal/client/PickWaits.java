package dev.strand.internal.client;

/**
 * What a call is told about its waits for a connection, for its tracer (A72's delay events): the
 * channel queues a call it cannot place yet, and says why, so the call pays nothing for this unless
 * it waited.
 */
public interface PickWaits {
  /** For a caller that does not care. */
  PickWaits NONE = new PickWaits() {};

  /**
   * The call waited because the channel's resolver had not answered yet, and now it has. At most
   * once per pick; in the channel's synchronization context.
   */
  default void resolutionWaitEnded() {}

  /**
   * The call's pick waits for the load-balancing policy (no ready connection took it): told before
   * its connection is handed over, so the call knows its stream comes late. Any thread.
   */
  default void pickQueued() {}
}
