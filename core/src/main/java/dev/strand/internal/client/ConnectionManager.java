package dev.strand.internal.client;

import dev.strand.Status;
import dev.strand.StatusException;
import dev.strand.client.Backoff;
import dev.strand.client.ConnectivityState;
import dev.strand.spi.NameResolver;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * pick_first: a channel's connection and its state machine (connectivity-semantics-and-api.md):
 * IDLE until a call needs a connection, CONNECTING, READY, and on failure TRANSIENT_FAILURE with
 * reconnects spaced by exponential backoff. Fail-fast calls fail in TRANSIENT_FAILURE;
 * wait-for-ready calls wait for READY.
 *
 * <p>Where to connect comes from the target's {@link NameResolver}, started on the first connect.
 * Addresses are tried in the order it gives them, the next at once when one fails, and the first
 * that connects is kept (pick_first); when all have failed the channel backs off and starts over
 * from the first. A lost connection asks the resolver to look again.
 */
public final class ConnectionManager<C extends Connection> implements ChannelConnections<C> {
  private final Function<SocketAddress, C> connector;
  private final Backoff backoff;
  private final ScheduledExecutorService events;
  private final ChannelState state;
  private final Supplier<NameResolver> resolvers;

  /** The target's resolver while it runs (made again after idle mode). */
  private NameResolver resolver;

  private final Set<C> live = ConcurrentHashMap.newKeySet();
  private final List<CompletableFuture<C>> failFast = new ArrayList<>();
  private final List<CompletableFuture<C>> waitForReady = new ArrayList<>();
  private C current;

  /** {@link #current} as a completed future, once it is READY. */
  private CompletableFuture<C> currentReady;

  /** Where {@link #current} is connected (or connecting). */
  private SocketAddress currentAddress;

  private Duration nextBackoff;
  private ScheduledFuture<?> retry;
  private Throwable lastFailure;
  private boolean resolverStarted;

  /** The resolver's latest addresses, flattened; empty until it has answered. */
  private volatile List<SocketAddress> addresses = List.of();

  /** Which of {@link #addresses} this pass tries next. */
  private int nextAddress;

  /** CONNECTING with no addresses yet: connect when the resolver answers. */
  private boolean awaitingAddresses;

  /**
   * {@code resolvers} makes the target's resolver (again after idle mode); {@code events} runs
   * state-change callbacks and schedules reconnects.
   */
  public ConnectionManager(
      Function<SocketAddress, C> connector,
      Supplier<NameResolver> resolvers,
      Backoff backoff,
      ScheduledExecutorService events) {
    this.connector = connector;
    this.resolvers = resolvers;
    this.resolver = resolvers.get();
    this.backoff = backoff;
    this.events = events;
    this.state = new ChannelState(events);
    this.nextBackoff = backoff.initial();
  }

  /** The connection for a new call, once there is one. */
  @Override
  public synchronized CompletableFuture<C> connectionFor(boolean waitsForReady) {
    if (state.get() == ConnectivityState.SHUTDOWN) {
      return CompletableFuture.failedFuture(
          Status.UNAVAILABLE.withDescription("channel is shut down").asException());
    }
    if (state.get() == ConnectivityState.READY && current != null && current.isUsable()) {
      return currentReady; // made once per connection: a pick allocates nothing
    }
    if (state.get() == ConnectivityState.TRANSIENT_FAILURE && !waitsForReady) {
      return CompletableFuture.failedFuture(unavailable());
    }
    // Register before connecting: a loopback connect can complete before connect() returns.
    CompletableFuture<C> f = new CompletableFuture<>();
    (waitsForReady ? waitForReady : failFast).add(f);
    if (state.get() == ConnectivityState.IDLE || state.get() == ConnectivityState.READY) {
      connect();
    }
    return f;
  }

  @Override
  public synchronized ConnectivityState state(boolean connect) {
    if (connect && state.get() == ConnectivityState.IDLE) {
      connect();
    }
    return state.get();
  }

  @Override
  public void notifyWhenStateChanged(ConnectivityState source, Runnable callback) {
    state.notifyWhenChanged(source, callback);
  }

  @Override
  public Set<C> live() {
    return live;
  }

  /** Shuts down: no new connections; waiting calls fail. */
  @Override
  public void shutdown() {
    List<CompletableFuture<C>> waiting;
    NameResolver stopResolver;
    synchronized (this) {
      if (retry != null) {
        retry.cancel(false);
      }
      current = null;
      setState(ConnectivityState.SHUTDOWN);
      waiting = drainWaiters();
      stopResolver = resolverStarted ? resolver : null;
    }
    if (stopResolver != null) {
      stopResolver.close();
    }
    StatusException e = Status.UNAVAILABLE.withDescription("channel is shut down").asException();
    waiting.forEach(f -> f.completeExceptionally(e));
  }

  private void connect() {
    setState(ConnectivityState.CONNECTING);
    if (!resolverStarted) {
      resolverStarted = true;
      awaitingAddresses = true;
      // Outside this call: a resolver may answer on the calling thread, and its listener locks.
      NameResolver starting = resolver;
      events.execute(() -> starting.start(new ResolverListener(starting)));
      return;
    }
    if (addresses.isEmpty()) {
      awaitingAddresses = true;
      resolver.refresh();
      return;
    }
    if (nextAddress >= addresses.size()) {
      nextAddress = 0;
    }
    SocketAddress address = addresses.get(nextAddress++);
    C conn = connector.apply(address);
    current = conn;
    currentAddress = address;
    live.add(conn);
    conn.ready().whenComplete((ready, error) -> onConnectResult(conn, error));
  }

  /** Receives the resolver's answers. */
  private final class ResolverListener implements NameResolver.Listener {
    private final NameResolver from;

    ResolverListener(NameResolver from) {
      this.from = from;
    }

    @Override
    public void onResult(List<NameResolver.Endpoint> endpoints) {
      List<SocketAddress> all = new ArrayList<>();
      for (NameResolver.Endpoint endpoint : endpoints) {
        all.addAll(endpoint.addresses());
      }
      synchronized (ConnectionManager.this) {
        if (state.get() == ConnectivityState.SHUTDOWN || all.isEmpty() || from != resolver) {
          return;
        }
        addresses = List.copyOf(all);
        nextAddress = 0;
        if (current != null && !addresses.contains(currentAddress)) {
          // Its server left the name: calls in flight finish there, new ones go to the new list.
          C gone = current;
          current = null;
          gone.shutdown();
          if (state.get() == ConnectivityState.READY) {
            setState(ConnectivityState.IDLE);
          } else if (state.get() == ConnectivityState.CONNECTING && !awaitingAddresses) {
            connect(); // the attempt was to the vanished address: try the new list now
          }
        }
        if (awaitingAddresses) {
          awaitingAddresses = false;
          connect();
        }
      }
    }

    @Override
    public void onError(Status error) {
      List<CompletableFuture<C>> fail;
      synchronized (ConnectionManager.this) {
        if (state.get() == ConnectivityState.SHUTDOWN
            || !addresses.isEmpty()
            || !awaitingAddresses) {
          return; // the last good addresses stay in use
        }
        awaitingAddresses = false;
        fail = failPass(error.asException());
      }
      StatusException e = unavailable();
      fail.forEach(f -> f.completeExceptionally(e));
    }
  }

  private void onConnectResult(C conn, Throwable error) {
    List<CompletableFuture<C>> complete = new ArrayList<>();
    List<CompletableFuture<C>> fail = List.of();
    synchronized (this) {
      if (state.get() == ConnectivityState.SHUTDOWN || conn != current) {
        return;
      }
      if (error == null) {
        // The server accepted us: the backoff starts over (connection-backoff.md).
        nextBackoff = backoff.initial();
        lastFailure = null;
        nextAddress = 0;
        currentReady = CompletableFuture.completedFuture(conn);
        setState(ConnectivityState.READY);
        complete.addAll(drainWaiters());
      } else if (nextAddress < addresses.size()) {
        // pick_first: the next address of this pass, at once.
        lastFailure = error;
        current = null;
        connect();
      } else {
        current = null;
        fail = failPass(error);
      }
    }
    complete.forEach(f -> f.complete(conn));
    StatusException e = fail.isEmpty() ? null : unavailable();
    fail.forEach(f -> f.completeExceptionally(e));
  }

  /** Every address failed (or none came): TRANSIENT_FAILURE, fail-fast calls fail, back off. */
  private List<CompletableFuture<C>> failPass(Throwable error) {
    lastFailure = error;
    nextAddress = 0;
    setState(ConnectivityState.TRANSIENT_FAILURE);
    List<CompletableFuture<C>> fail = new ArrayList<>(failFast);
    failFast.clear();
    Duration delay = backoff.jittered(nextBackoff);
    nextBackoff = backoff.next(nextBackoff);
    retry = events.schedule(this::retry, delay.toNanos(), TimeUnit.NANOSECONDS);
    return fail;
  }

  private synchronized void retry() {
    if (state.get() == ConnectivityState.TRANSIENT_FAILURE) {
      connect();
    }
  }

  @Override
  public void enterIdle() {
    C gone;
    NameResolver stopResolver;
    synchronized (this) {
      if (state.get() == ConnectivityState.SHUTDOWN
          || state.get() == ConnectivityState.IDLE && !resolverStarted
          || !failFast.isEmpty()
          || !waitForReady.isEmpty()) {
        return;
      }
      if (retry != null) {
        retry.cancel(false);
      }
      gone = current;
      current = null;
      stopResolver = resolverStarted ? resolver : null;
      resolverStarted = false;
      resolver = resolvers.get();
      addresses = List.of();
      nextAddress = 0;
      awaitingAddresses = false;
      nextBackoff = backoff.initial();
      setState(ConnectivityState.IDLE);
    }
    if (gone != null) {
      gone.shutdown();
    }
    if (stopResolver != null) {
      stopResolver.close();
    }
  }

  /** A connection stopped taking new calls (GOAWAY) or closed. */
  @Override
  public void onConnectionLost(C conn, boolean closed) {
    NameResolver refresh;
    synchronized (this) {
      if (closed) {
        live.remove(conn);
      }
      refresh =
          conn == current && state.get() != ConnectivityState.SHUTDOWN && resolverStarted
              ? resolver
              : null;
      if (conn == current) {
        current = null;
        if (state.get() == ConnectivityState.READY) {
          setState(ConnectivityState.IDLE);
        }
      }
    }
    if (refresh != null) {
      refresh.refresh(); // the servers may have moved (naming.md)
    }
  }

  private StatusException unavailable() {
    Throwable cause = lastFailure;
    String why = cause == null ? "unknown error" : String.valueOf(cause.getMessage());
    String where = addresses.isEmpty() ? "" : " to any of " + addresses;
    return Status.UNAVAILABLE
        .withDescription("cannot connect" + where + ": " + why)
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
    state.set(next);
  }
}
