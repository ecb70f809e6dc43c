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
 *
 * <p>With client-side health checking (A17), a connected subchannel stays CONNECTING until the
 * server's health service first answers its Watch, then is READY while the answer is SERVING and
 * TRANSIENT_FAILURE otherwise, with the connection kept. A Watch answered UNIMPLEMENTED means the
 * server has no health service: the subchannel is READY. A Watch that fails otherwise is started
 * again after a backoff (reset by every answer), the subchannel CONNECTING when it starts.
 */
final class ConnectionSubchannel<C extends Connection> implements LoadBalancer.Subchannel {
  private static final java.util.logging.Logger log =
      java.util.logging.Logger.getLogger(ConnectionSubchannel.class.getName());

  private final SocketAddress address;
  private final LoadBalancer.SubchannelStateListener listener;
  private final BalancedConnections<C> channel;
  private final Backoff backoff;

  /** The service name health checks ask about; null when not health-checked. */
  private final String healthService;

  private ConnectivityState state = ConnectivityState.IDLE;

  /** The connection's HTTP/2 handshake is done (it may still wait for its health check). */
  private boolean transportReady;

  private HealthCheck health;
  private Duration nextHealthBackoff;
  private ScheduledFuture<?> healthRetry;
  private Duration nextBackoff;
  private ScheduledFuture<?> backoffOver;
  private C connection;

  /** The READY connection as a completed future (made once per connection), or null. */
  private volatile CompletableFuture<C> ready;

  ConnectionSubchannel(
      SocketAddress address,
      LoadBalancer.SubchannelStateListener listener,
      BalancedConnections<C> channel,
      Backoff backoff,
      String healthService) {
    this.address = address;
    this.listener = listener;
    this.channel = channel;
    this.backoff = backoff;
    this.healthService = healthService;
    this.nextBackoff = backoff.initial();
    this.nextHealthBackoff = backoff.initial();
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
      transportReady = true;
      if (healthService == null) {
        markReady(conn);
      } else {
        startHealthCheck(conn); // CONNECTING until the first answer
      }
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
    if (!transportReady) {
      return; // its ready() fails too: onConnectResult backs off
    }
    stopHealthCheck();
    transportReady = false;
    connection = null;
    ready = null;
    setState(ConnectivityState.IDLE, Status.OK);
  }

  private void markReady(C conn) {
    if (ready == null || ready.getNow(null) != conn) {
      ready = CompletableFuture.completedFuture(conn);
    }
    if (state != ConnectivityState.READY) {
      setState(ConnectivityState.READY, Status.OK);
    }
  }

  private void markUnhealthy(Status why) {
    ready = null;
    setState(ConnectivityState.TRANSIENT_FAILURE, why);
  }

  // ---- client-side health checking (A17) ----

  /** One Watch; its events count only while it is the subchannel's current one. */
  private final class HealthCheck implements HealthWatch.Listener {
    final C conn;
    HealthWatch call;

    HealthCheck(C conn) {
      this.conn = conn;
    }

    @Override
    public void onServingStatus(int status) {
      channel.inContext(() -> onHealth(this, status));
    }

    @Override
    public void onClose(Status status) {
      channel.inContext(() -> onHealthClosed(this, status));
    }
  }

  private void startHealthCheck(C conn) {
    HealthCheck check = new HealthCheck(conn);
    health = check;
    check.call = conn.watchHealth(healthService, check);
  }

  private void onHealth(HealthCheck check, int servingStatus) {
    if (check != health || state == ConnectivityState.SHUTDOWN) {
      return;
    }
    nextHealthBackoff = backoff.initial(); // an answer resets the Watch's backoff (A17)
    if (servingStatus == HealthWatch.SERVING) {
      markReady(check.conn);
    } else if (state != ConnectivityState.TRANSIENT_FAILURE) {
      markUnhealthy(
          Status.UNAVAILABLE.withDescription(
              "health check of " + address + ": " + servingStatusName(servingStatus)));
    }
  }

  private void onHealthClosed(HealthCheck check, Status status) {
    if (check != health || state == ConnectivityState.SHUTDOWN) {
      return;
    }
    health = null;
    if (status.code() == Status.Code.UNIMPLEMENTED) {
      // No health service on that server: as if health checking were off (A17), said loudly.
      log.severe(
          "health checking is on but "
              + address
              + " has no grpc.health.v1.Health service ("
              + status.description()
              + "): treating it as healthy");
      markReady(check.conn);
      return;
    }
    markUnhealthy(
        Status.UNAVAILABLE.withDescription(
            "health check of "
                + address
                + " failed: "
                + status.code()
                + " "
                + status.description()));
    Duration delay = backoff.jittered(nextHealthBackoff);
    nextHealthBackoff = backoff.next(nextHealthBackoff);
    healthRetry =
        channel.schedule(
            () -> {
              if (connection == check.conn && transportReady && health == null) {
                setState(ConnectivityState.CONNECTING, Status.OK);
                startHealthCheck(check.conn);
              }
            },
            delay.toNanos(),
            TimeUnit.NANOSECONDS);
  }

  private void stopHealthCheck() {
    if (healthRetry != null) {
      healthRetry.cancel(false);
      healthRetry = null;
    }
    if (health != null) {
      HealthCheck check = health;
      health = null;
      if (check.call != null) {
        check.call.cancel();
      }
    }
  }

  private static String servingStatusName(int status) {
    return switch (status) {
      case 0 -> "UNKNOWN";
      case 2 -> "NOT_SERVING";
      case 3 -> "SERVICE_UNKNOWN";
      default -> "serving status " + status;
    };
  }

  @Override
  public void shutdown() {
    channel.inContext(
        () -> {
          if (state == ConnectivityState.SHUTDOWN) {
            return;
          }
          stopHealthCheck();
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
