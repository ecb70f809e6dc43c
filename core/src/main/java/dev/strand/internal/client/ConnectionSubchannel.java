package dev.strand.internal.client;

import dev.strand.ConnectivityState;
import dev.strand.Status;
import dev.strand.client.Backoff;
import dev.strand.spi.LoadBalancer;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A subchannel: one address, at most one connection at a time, and its own state machine
 * (connectivity-semantics-and-api.md) and reconnect backoff (connection-backoff.md). IDLE until
 * asked to connect; CONNECTING; READY once the server's SETTINGS arrived; TRANSIENT_FAILURE when
 * the connect failed, then IDLE again when the backoff delay is over; IDLE when a READY connection
 * is lost (GOAWAY or closed). Its state changes run in the channel's synchronization context, where
 * everything here but {@link #readyConnection} is called.
 */
final class ConnectionSubchannel<C extends Connection> implements LoadBalancer.Subchannel {
  private final SocketAddress address;
  private final LoadBalancer.SubchannelStateListener listener;
  private final BalancedConnections<C> channel;
  private final Backoff backoff;

  private ConnectivityState state = ConnectivityState.IDLE;
  private Duration nextBackoff;
  private ScheduledFuture<?> backoffOver;
  private C connection;

  /** The READY connection as a completed future (made once per connection), or null. */
  private volatile CompletableFuture<C> ready;

  ConnectionSubchannel(
      SocketAddress address,
      LoadBalancer.SubchannelStateListener listener,
      BalancedConnections<C> channel,
      Backoff backoff) {
    this.address = address;
    this.listener = listener;
    this.channel = channel;
    this.backoff = backoff;
    this.nextBackoff = backoff.initial();
  }

  @Override
  public SocketAddress address() {
    return address;
  }

  /** The connection a call picked for this subchannel runs on, if it is READY and usable. */
  CompletableFuture<C> readyConnection() {
    CompletableFuture<C> f = ready;
    return f != null && f.getNow(null).isUsable() ? f : null;
  }

  @Override
  public void requestConnection() {
    channel.inContext(
        () -> {
          if (state != ConnectivityState.IDLE || channel.isShutdown()) {
            return;
          }
          C conn = channel.connect(address, this);
          connection = conn;
          setState(ConnectivityState.CONNECTING, Status.OK);
          conn.ready()
              .whenComplete((ok, error) -> channel.inContext(() -> onConnectResult(conn, error)));
        });
  }

  private void onConnectResult(C conn, Throwable error) {
    if (conn != connection) {
      return; // shut down, or lost and replaced meanwhile
    }
    if (error == null) {
      // The server accepted us: the backoff starts over (connection-backoff.md).
      nextBackoff = backoff.initial();
      ready = CompletableFuture.completedFuture(conn);
      setState(ConnectivityState.READY, Status.OK);
      return;
    }
    connection = null;
    Duration delay = backoff.jittered(nextBackoff);
    nextBackoff = backoff.next(nextBackoff);
    backoffOver =
        channel.schedule(
            () -> {
              if (state == ConnectivityState.TRANSIENT_FAILURE) {
                setState(ConnectivityState.IDLE, Status.OK);
              }
            },
            delay.toNanos(),
            TimeUnit.NANOSECONDS);
    setState(ConnectivityState.TRANSIENT_FAILURE, unavailable(error));
  }

  /** The channel saw {@code conn} stop taking calls (GOAWAY) or close. */
  void onConnectionLost(C conn) {
    if (conn != connection || state == ConnectivityState.SHUTDOWN) {
      return;
    }
    if (state == ConnectivityState.CONNECTING) {
      return; // its ready() fails too: onConnectResult backs off
    }
    connection = null;
    ready = null;
    setState(ConnectivityState.IDLE, Status.OK);
  }

  @Override
  public void shutdown() {
    channel.inContext(
        () -> {
          if (state == ConnectivityState.SHUTDOWN) {
            return;
          }
          state = ConnectivityState.SHUTDOWN;
          ready = null;
          if (backoffOver != null) {
            backoffOver.cancel(false);
          }
          if (connection != null) {
            C conn = connection;
            connection = null;
            conn.shutdown(); // calls still on it finish
          }
        });
  }

  /** After its connect attempt completes: a subchannel shut down meanwhile closes it. */
  boolean isShutdown() {
    return state == ConnectivityState.SHUTDOWN;
  }

  private void setState(ConnectivityState next, Status status) {
    if (state == ConnectivityState.SHUTDOWN) {
      return;
    }
    state = next;
    listener.onStateChange(next, status);
  }

  private Status unavailable(Throwable error) {
    return Status.UNAVAILABLE.withDescription(address + ": " + error.getMessage()).withCause(error);
  }

  @Override
  public String toString() {
    return "Subchannel[" + address + ", " + state + "]";
  }
}
