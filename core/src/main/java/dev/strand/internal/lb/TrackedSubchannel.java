package dev.strand.internal.lb;

import dev.strand.ConnectivityState;
import dev.strand.Status;
import dev.strand.spi.LoadBalancer;
import dev.strand.spi.PickResult;
import java.net.SocketAddress;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;

/**
 * A policy's view of one of its subchannels: the subchannel, the state it last reported, whether it
 * has failed (since it was last READY, or in this pass: the policy's meaning), and the pick result
 * for it, made once so that a pick allocates nothing.
 */
final class TrackedSubchannel {
  final LoadBalancer.Subchannel subchannel;
  final PickResult pick;
  ConnectivityState state = ConnectivityState.IDLE;
  boolean failed;

  /** Receives a tracked subchannel's state changes, after {@link #state} is updated. */
  @FunctionalInterface
  interface Listener {
    void onStateChange(TrackedSubchannel tracked, ConnectivityState was, Status status);
  }

  /** {@code healthChecked}: if the service config asks for it (A17; pick_first opts out). */
  TrackedSubchannel(
      LoadBalancer.Helper helper, SocketAddress address, boolean healthChecked, Listener listener) {
    this.subchannel =
        helper.createSubchannel(
            address,
            (next, status) -> {
              ConnectivityState was = state;
              state = next;
              listener.onStateChange(this, was, status);
            },
            healthChecked);
    this.pick = PickResult.withSubchannel(subchannel);
  }

  SocketAddress address() {
    return subchannel.address();
  }

  /**
   * Shuts down and removes the subchannels whose address is not in {@code keep}: their servers left
   * the name, and the calls in flight on them finish there.
   */
  static void shutDownGone(Map<SocketAddress, TrackedSubchannel> all, Collection<?> keep) {
    for (Iterator<Map.Entry<SocketAddress, TrackedSubchannel>> it = all.entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<SocketAddress, TrackedSubchannel> entry = it.next();
      if (!keep.contains(entry.getKey())) {
        entry.getValue().subchannel.shutdown();
        it.remove();
      }
    }
  }

  /** The status fail-fast calls fail with once every address has failed. */
  static Status cannotConnect(Collection<SocketAddress> addresses, Status lastError) {
    return Status.UNAVAILABLE
        .withDescription("cannot connect to any of " + addresses + ": " + lastError.description())
        .withCause(lastError.cause());
  }

  /** Fails every call with a resolver's error: for a policy that never had addresses. */
  static void failWithResolutionError(LoadBalancer.Helper helper, Status error) {
    helper.updateBalancingState(
        ConnectivityState.TRANSIENT_FAILURE, call -> PickResult.withError(error));
  }
}
