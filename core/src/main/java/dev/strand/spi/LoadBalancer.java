package dev.strand.spi;

import dev.strand.ConnectivityState;
import dev.strand.Metadata;
import dev.strand.Status;
import java.net.SocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A load-balancing policy (load-balancing.md): one instance per channel, made by a {@link
 * LoadBalancerProvider}. It gets the resolver's addresses, keeps {@link Subchannel}s to them, and
 * publishes a {@link Picker} that says which subchannel each new call takes, with the channel's
 * connectivity state.
 *
 * <p>Threading: the channel calls a policy, and delivers its subchannels' state changes, one at a
 * time (a synchronization context, as in grpc-java), so a policy needs no locks for its own state.
 * A policy calls its {@link Helper} from those callbacks or from tasks it {@link Helper#schedule
 * scheduled}. Only {@link Picker#pick} runs elsewhere: on any thread, once per call.
 */
public interface LoadBalancer {

  /**
   * The resolver's current servers (never empty), and this policy's config from the service config
   * (empty when there is none), replacing the previous ones.
   */
  void acceptResolvedAddresses(List<NameResolver.Endpoint> endpoints, Map<String, ?> config);

  /**
   * Name resolution failed. A policy that already has addresses keeps using them; one that has none
   * publishes a picker that fails calls with this status.
   */
  void handleNameResolutionError(Status error);

  /** A call needs a connection and the policy reported IDLE: start connecting. */
  void requestConnection();

  /** The channel is shutting down or going idle: shut every subchannel down, cancel timers. */
  void shutdown();

  /** What the channel does for its policy. */
  interface Helper {

    /**
     * A new subchannel to one address: IDLE until {@link Subchannel#requestConnection}, reporting
     * its state changes to {@code listener} (in the synchronization context). Health-checked if the
     * service config asks for it (A17): a connected subchannel is then READY only while the
     * server's health service says SERVING, and TRANSIENT_FAILURE (connection kept) otherwise.
     */
    default Subchannel createSubchannel(SocketAddress address, SubchannelStateListener listener) {
      return createSubchannel(address, listener, true);
    }

    /**
     * As {@link #createSubchannel(SocketAddress, SubchannelStateListener)}; {@code healthChecked}
     * false opts out of client-side health checking whatever the service config says (A17:
     * pick_first does).
     */
    Subchannel createSubchannel(
        SocketAddress address, SubchannelStateListener listener, boolean healthChecked);

    /**
     * Publishes the channel's state and the picker new calls use from now on; calls waiting for a
     * pick are picked again with it.
     */
    void updateBalancingState(ConnectivityState state, Picker picker);

    /** Asks the resolver to look again (a connection was lost, every address failed). */
    void refreshNameResolution();

    /** Runs {@code task} in the synchronization context after {@code delay}. */
    ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit);

    /** The channel's authority, for policies that log or label by it. */
    String authority();
  }

  /** One address's connection, with its own connectivity state and reconnect backoff. */
  interface Subchannel {

    SocketAddress address();

    /** Leaves IDLE: connects. Ignored in any other state. */
    void requestConnection();

    /** Closes the connection once the calls on it finish; no more state changes are reported. */
    void shutdown();
  }

  /**
   * A subchannel's state changes: IDLE (not connected: never asked, its connection was lost, or its
   * backoff after a failure is over), CONNECTING, READY, TRANSIENT_FAILURE (with why, in {@code
   * status}; {@code status} is OK otherwise).
   */
  @FunctionalInterface
  interface SubchannelStateListener {
    void onStateChange(ConnectivityState state, Status status);
  }

  /**
   * Chooses the subchannel for a call. Called on any thread, once per call start, so it must be
   * thread-safe, fast, and should allocate nothing (return results made in advance).
   */
  @FunctionalInterface
  interface Picker {
    PickResult pick(PickArgs args);
  }

  /** What a picker knows about the call it picks for. */
  interface PickArgs {

    /** {@code package.Service/Method}. */
    String fullMethodName();

    /** The call's request metadata. */
    Metadata headers();

    boolean waitsForReady();
  }
}
