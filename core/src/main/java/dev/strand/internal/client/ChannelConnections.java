package dev.strand.internal.client;

import dev.strand.ConnectivityState;
import dev.strand.spi.LoadBalancer;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A channel's connections to its target's servers, and the channel's connectivity state
 * (connectivity-semantics-and-api.md), as a load-balancing policy keeps them: which connection a
 * new call takes. {@link BalancedConnections} runs any policy of the {@link LoadBalancer} SPI.
 */
public interface ChannelConnections<C extends Connection> {

  /**
   * The connection for a new call, once its load-balancing policy has placed it; fails fast unless
   * the call waits for ready.
   */
  default CompletableFuture<C> connectionFor(LoadBalancer.PickArgs call) {
    return connectionFor(call, PickWaits.NONE);
  }

  /** The same, telling {@code waits} if the call has to wait for resolution or for the pick. */
  CompletableFuture<C> connectionFor(LoadBalancer.PickArgs call, PickWaits waits);

  /** The channel's state; {@code connect} leaves IDLE. */
  ConnectivityState state(boolean connect);

  void notifyWhenStateChanged(ConnectivityState source, Runnable callback);

  /** Every connection not yet closed, for shutdown. */
  Set<C> live();

  /** No new connections; waiting calls fail. */
  void shutdown();

  /**
   * Idle mode: the channel had no calls for its idle timeout, so its connections close (calls still
   * on them finish), name resolution stops, and it is IDLE; the next call starts over.
   */
  void enterIdle();

  /** A connection stopped taking new calls (GOAWAY) or closed. */
  void onConnectionLost(C conn, boolean closed);
}
