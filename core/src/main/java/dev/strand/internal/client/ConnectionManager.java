package dev.strand.internal.client;

import dev.strand.Status;
import dev.strand.StatusException;
import dev.strand.client.Backoff;
import dev.strand.client.ConnectivityState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A channel's connection and its state machine (connectivity-semantics-and-api.md): IDLE until a
 * call needs a connection, CONNECTING, READY, and on failure TRANSIENT_FAILURE with reconnects
 * spaced by exponential backoff. Fail-fast calls fail in TRANSIENT_FAILURE; wait-for-ready calls
 * wait for READY.
 */
public final class ConnectionManager<C extends Connection> {
  private final Supplier<C> connector;
  private final Backoff backoff;
  private final ScheduledExecutorService events;
  private final Set<C> live = ConcurrentHashMap.newKeySet();
  private final List<CompletableFuture<C>> failFast = new ArrayList<>();
  private final List<CompletableFuture<C>> waitForReady = new ArrayList<>();
  private final List<Runnable> stateWatchers = new ArrayList<>();
  private ConnectivityState state = ConnectivityState.IDLE;
  private C current;
  private Duration nextBackoff;
  private ScheduledFuture<?> retry;
  private Throwable lastFailure;

  /** {@code events} runs state-change callbacks and schedules reconnects. */
  public ConnectionManager(
      Supplier<C> connector, Backoff backoff, ScheduledExecutorService events) {
    this.connector = connector;
    this.events = events;
    this.backoff = backoff;
    this.nextBackoff = backoff.initial();
  }

  /** The connection for a new call, once there is one. */
  public synchronized CompletableFuture<C> connectionFor(boolean waitsForReady) {
    if (state == ConnectivityState.SHUTDOWN) {
      return CompletableFuture.failedFuture(
          Status.UNAVAILABLE.withDescription("channel is shut down").asException());
    }
    if (state == ConnectivityState.READY && current != null && current.isUsable()) {
      return CompletableFuture.completedFuture(current);
    }
    if (state == ConnectivityState.TRANSIENT_FAILURE && !waitsForReady) {
      return CompletableFuture.failedFuture(unavailable());
    }
    // Register before connecting: a loopback connect can complete before connect() returns.
    CompletableFuture<C> f = new CompletableFuture<>();
    (waitsForReady ? waitForReady : failFast).add(f);
    if (state == ConnectivityState.IDLE || state == ConnectivityState.READY) {
      connect();
    }
    return f;
  }

  public synchronized ConnectivityState state(boolean connect) {
    if (connect && state == ConnectivityState.IDLE) {
      connect();
    }
    return state;
  }

  public void notifyWhenStateChanged(ConnectivityState source, Runnable callback) {
    synchronized (this) {
      if (state == source) {
        stateWatchers.add(callback);
        return;
      }
    }
    events.execute(callback);
  }

  public Set<C> live() {
    return live;
  }

  /** Shuts down: no new connections; waiting calls fail. */
  public void shutdown() {
    List<CompletableFuture<C>> waiting;
    synchronized (this) {
      if (retry != null) {
        retry.cancel(false);
      }
      current = null;
      setState(ConnectivityState.SHUTDOWN);
      waiting = drainWaiters();
    }
    StatusException e = Status.UNAVAILABLE.withDescription("channel is shut down").asException();
    waiting.forEach(f -> f.completeExceptionally(e));
  }

  private void connect() {
    setState(ConnectivityState.CONNECTING);
    C conn = connector.get();
    current = conn;
    live.add(conn);
    conn.ready().whenComplete((ready, error) -> onConnectResult(conn, error));
  }

  private void onConnectResult(C conn, Throwable error) {
    List<CompletableFuture<C>> complete = new ArrayList<>();
    List<CompletableFuture<C>> fail = new ArrayList<>();
    synchronized (this) {
      if (state == ConnectivityState.SHUTDOWN || conn != current) {
        return;
      }
      if (error == null) {
        // The server accepted us: the backoff starts over (connection-backoff.md).
        nextBackoff = backoff.initial();
        lastFailure = null;
        setState(ConnectivityState.READY);
        complete.addAll(drainWaiters());
      } else {
        lastFailure = error;
        current = null;
        setState(ConnectivityState.TRANSIENT_FAILURE);
        fail.addAll(failFast);
        failFast.clear();
        Duration delay = backoff.jittered(nextBackoff);
        nextBackoff = backoff.next(nextBackoff);
        retry = events.schedule(this::retry, delay.toNanos(), TimeUnit.NANOSECONDS);
      }
    }
    complete.forEach(f -> f.complete(conn));
    StatusException e = fail.isEmpty() ? null : unavailable();
    fail.forEach(f -> f.completeExceptionally(e));
  }

  private synchronized void retry() {
    if (state == ConnectivityState.TRANSIENT_FAILURE) {
      connect();
    }
  }

  /** A connection stopped taking new calls (GOAWAY) or closed. */
  public synchronized void onConnectionLost(C conn, boolean closed) {
    if (closed) {
      live.remove(conn);
    }
    if (conn == current) {
      current = null;
      if (state == ConnectivityState.READY) {
        setState(ConnectivityState.IDLE);
      }
    }
  }

  private StatusException unavailable() {
    Throwable cause = lastFailure;
    String why = cause == null ? "unknown error" : String.valueOf(cause.getMessage());
    return Status.UNAVAILABLE
        .withDescription("cannot connect: " + why)
        .withCause(cause)
        .asException();
  }

  private List<CompletableFuture<C>> drainWaiters() {
    List<CompletableFuture<C>> all = new ArrayList<>(failFast);
    all.addAll(waitForReady);
    failFast.clear();
    waitForReady.clear();
    return all;
  }

  private void setState(ConnectivityState next) {
    if (state == next) {
      return;
    }
    state = next;
    List<Runnable> watchers = new ArrayList<>(stateWatchers);
    stateWatchers.clear();
    for (Runnable r : watchers) {
      events.execute(r);
    }
  }
}
