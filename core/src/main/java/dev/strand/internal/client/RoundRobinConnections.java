package dev.strand.internal.client;

import dev.strand.Status;
import dev.strand.StatusException;
import dev.strand.client.Backoff;
import dev.strand.client.ConnectivityState;
import dev.strand.spi.NameResolver;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * round_robin (load-balancing.md): a subchannel per resolved address, each with its own connection,
 * state and backoff, all kept connected; new calls take the READY ones in turn. A subchannel whose
 * connection fails or goes away leaves the rotation at once and reconnects on its own (after its
 * backoff once a connect has failed), rejoining when READY. The channel is READY while any
 * subchannel is, CONNECTING while any is trying, else TRANSIENT_FAILURE.
 *
 * <p>A pick is two volatile reads and an atomic increment, and allocates nothing: the rotation is
 * an array of each READY connection's completed future, rebuilt only when a subchannel's state
 * changes. Everything else happens under this object's lock.
 */
public final class RoundRobinConnections<C extends Connection> implements ChannelConnections<C> {
  private final Function<SocketAddress, C> connector;
  private final Supplier<NameResolver> resolvers;

  /** The target's resolver while it runs (made again after idle mode). Guarded by this. */
  private NameResolver resolver;

  private final Backoff backoff;
  private final ScheduledExecutorService events;
  private final ChannelState state;
  private final Set<C> live = ConcurrentHashMap.newKeySet();
  private final Map<SocketAddress, Subchannel> subchannels = new LinkedHashMap<>();
  private final List<CompletableFuture<C>> failFast = new ArrayList<>();
  private final List<CompletableFuture<C>> waitForReady = new ArrayList<>();
  private final AtomicInteger next = new AtomicInteger();

  /** The READY subchannels' connections, as completed futures; replaced, never changed. */
  @SuppressWarnings("unchecked")
  private volatile CompletableFuture<C>[] rotation = new CompletableFuture[0];

  private boolean resolverStarted;
  private Throwable lastFailure;
  private Status resolutionError;

  /** One address's connection and its own state and backoff. Guarded by the outer lock. */
  private final class Subchannel {
    final SocketAddress address;
    ConnectivityState connectivity = ConnectivityState.IDLE;
    C connection;
    CompletableFuture<C> ready;
    Duration nextBackoff = backoff.initial();
    ScheduledFuture<?> retry;

    Subchannel(SocketAddress address) {
      this.address = address;
    }

    void connect() {
      connectivity = ConnectivityState.CONNECTING;
      C conn = connector.apply(address);
      connection = conn;
      live.add(conn);
      conn.ready().whenComplete((ok, error) -> onConnectResult(this, conn, error));
    }

    void shutdown() {
      connectivity = ConnectivityState.SHUTDOWN;
      if (retry != null) {
        retry.cancel(false);
      }
      if (connection != null) {
        connection.shutdown();
        connection = null;
      }
    }
  }

  public RoundRobinConnections(
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
  }

  @Override
  public CompletableFuture<C> connectionFor(boolean waitsForReady) {
    CompletableFuture<C>[] ready = rotation;
    if (ready.length > 0) {
      CompletableFuture<C> pick = ready[Math.floorMod(next.getAndIncrement(), ready.length)];
      if (pick.getNow(null).isUsable()) {
        return pick;
      }
    }
    synchronized (this) {
      if (state.get() == ConnectivityState.SHUTDOWN) {
        return CompletableFuture.failedFuture(
            Status.UNAVAILABLE.withDescription("channel is shut down").asException());
      }
      CompletableFuture<C> usable = usableInRotation();
      if (usable != null) {
        return usable;
      }
      if (state.get() == ConnectivityState.TRANSIENT_FAILURE && !waitsForReady) {
        return CompletableFuture.failedFuture(unavailable());
      }
      CompletableFuture<C> f = new CompletableFuture<>();
      (waitsForReady ? waitForReady : failFast).add(f);
      start();
      return f;
    }
  }

  /** A usable connection of the rotation, in turn, or null. */
  private CompletableFuture<C> usableInRotation() {
    CompletableFuture<C>[] ready = rotation;
    for (int i = 0; i < ready.length; i++) {
      CompletableFuture<C> pick = ready[Math.floorMod(next.getAndIncrement(), ready.length)];
      if (pick.getNow(null).isUsable()) {
        return pick;
      }
    }
    return null;
  }

  @Override
  public synchronized ConnectivityState state(boolean connect) {
    if (connect) {
      start();
    }
    return state.get();
  }

  private void start() {
    if (resolverStarted || state.get() == ConnectivityState.SHUTDOWN) {
      return;
    }
    resolverStarted = true;
    setState(ConnectivityState.CONNECTING);
    NameResolver starting = resolver;
    events.execute(() -> starting.start(new ResolverListener(starting)));
  }

  @Override
  public void notifyWhenStateChanged(ConnectivityState source, Runnable callback) {
    state.notifyWhenChanged(source, callback);
  }

  @Override
  public Set<C> live() {
    return live;
  }

  @Override
  public void shutdown() {
    List<CompletableFuture<C>> waiting;
    NameResolver stopResolver;
    synchronized (this) {
      for (Subchannel s : subchannels.values()) {
        if (s.retry != null) {
          s.retry.cancel(false);
        }
        s.connectivity = ConnectivityState.SHUTDOWN;
      }
      subchannels.clear();
      setRotation();
      setState(ConnectivityState.SHUTDOWN);
      waiting = new ArrayList<>(failFast);
      waiting.addAll(waitForReady);
      failFast.clear();
      waitForReady.clear();
      stopResolver = resolverStarted ? resolver : null;
    }
    if (stopResolver != null) {
      stopResolver.close();
    }
    StatusException e = Status.UNAVAILABLE.withDescription("channel is shut down").asException();
    waiting.forEach(f -> f.completeExceptionally(e));
  }

  /** Receives the resolver's answers: subchannels follow the addresses. */
  private final class ResolverListener implements NameResolver.Listener {
    private final NameResolver from;

    ResolverListener(NameResolver from) {
      this.from = from;
    }

    @Override
    public void onResult(List<NameResolver.Endpoint> endpoints) {
      Set<SocketAddress> addresses = new LinkedHashSet<>();
      endpoints.forEach(e -> addresses.addAll(e.addresses()));
      List<CompletableFuture<C>> fail;
      synchronized (RoundRobinConnections.this) {
        if (state.get() == ConnectivityState.SHUTDOWN || from != resolver) {
          return;
        }
        resolutionError = null;
        for (var it = subchannels.entrySet().iterator(); it.hasNext(); ) {
          var entry = it.next();
          if (!addresses.contains(entry.getKey())) {
            entry.getValue().shutdown(); // gone from the name: calls in flight finish
            it.remove();
          }
        }
        for (SocketAddress address : addresses) {
          if (!subchannels.containsKey(address)) {
            Subchannel s = new Subchannel(address);
            subchannels.put(address, s);
            s.connect();
          }
        }
        fail = update();
      }
      failAll(fail);
    }

    @Override
    public void onError(Status error) {
      List<CompletableFuture<C>> fail;
      synchronized (RoundRobinConnections.this) {
        if (state.get() == ConnectivityState.SHUTDOWN
            || !subchannels.isEmpty()
            || from != resolver) {
          return; // the last good addresses stay in use
        }
        resolutionError = error;
        lastFailure = error.asException();
        fail = update();
        // Look again later, paced like reconnects.
        events.schedule(from::refresh, backoff.initial().toNanos(), TimeUnit.NANOSECONDS);
      }
      failAll(fail);
    }
  }

  private void onConnectResult(Subchannel s, C conn, Throwable error) {
    List<CompletableFuture<C>> complete = new ArrayList<>();
    List<CompletableFuture<C>> fail;
    synchronized (this) {
      if (s.connectivity == ConnectivityState.SHUTDOWN || s.connection != conn) {
        if (error == null && s.connectivity == ConnectivityState.SHUTDOWN) {
          conn.shutdown();
        }
        return;
      }
      if (error == null) {
        s.connectivity = ConnectivityState.READY;
        s.ready = CompletableFuture.completedFuture(conn);
        s.nextBackoff = backoff.initial();
        lastFailure = null;
        complete.addAll(failFast);
        complete.addAll(waitForReady);
        failFast.clear();
        waitForReady.clear();
      } else {
        lastFailure = error;
        s.connection = null;
        s.connectivity = ConnectivityState.TRANSIENT_FAILURE;
        Duration delay = backoff.jittered(s.nextBackoff);
        s.nextBackoff = backoff.next(s.nextBackoff);
        s.retry = events.schedule(() -> retry(s), delay.toNanos(), TimeUnit.NANOSECONDS);
      }
      fail = update();
    }
    for (CompletableFuture<C> waiter : complete) {
      CompletableFuture<C> pick = usableInRotation();
      if (pick != null) {
        waiter.complete(pick.getNow(null));
      } else {
        waiter.complete(conn);
      }
    }
    failAll(fail);
  }

  private void retry(Subchannel s) {
    List<CompletableFuture<C>> fail = List.of();
    synchronized (this) {
      if (s.connectivity == ConnectivityState.TRANSIENT_FAILURE) {
        s.connect();
        fail = update();
      }
    }
    failAll(fail);
  }

  @Override
  public void enterIdle() {
    NameResolver stopResolver;
    synchronized (this) {
      if (state.get() == ConnectivityState.SHUTDOWN
          || !resolverStarted
          || !failFast.isEmpty()
          || !waitForReady.isEmpty()) {
        return;
      }
      for (Subchannel s : subchannels.values()) {
        s.shutdown(); // calls still on a connection finish there
      }
      subchannels.clear();
      setRotation();
      stopResolver = resolver;
      resolverStarted = false;
      resolver = resolvers.get();
      resolutionError = null;
      setState(ConnectivityState.IDLE);
    }
    stopResolver.close();
  }

  @Override
  public void onConnectionLost(C conn, boolean closed) {
    NameResolver refresh = null;
    List<CompletableFuture<C>> fail = List.of();
    synchronized (this) {
      if (closed) {
        live.remove(conn);
      }
      for (Subchannel s : subchannels.values()) {
        if (s.connection == conn) {
          // Out of the rotation now; a fresh connection at once (round_robin keeps every
          // subchannel connected), which backs off if the server is really gone.
          s.connection = null;
          s.ready = null;
          s.connect();
          refresh = resolver;
          fail = update();
          break;
        }
      }
    }
    failAll(fail);
    if (refresh != null) {
      refresh.refresh();
    }
  }

  /**
   * After any subchannel's change: the rotation, the channel's state; returns the fail-fast calls
   * to fail if the channel is now in TRANSIENT_FAILURE.
   */
  private List<CompletableFuture<C>> update() {
    setRotation();
    boolean anyReady = false;
    boolean anyTrying = false;
    for (Subchannel s : subchannels.values()) {
      anyReady |= s.connectivity == ConnectivityState.READY;
      anyTrying |=
          s.connectivity == ConnectivityState.CONNECTING
              || s.connectivity == ConnectivityState.IDLE;
    }
    ConnectivityState now =
        anyReady
            ? ConnectivityState.READY
            : anyTrying || (subchannels.isEmpty() && resolutionError == null)
                ? ConnectivityState.CONNECTING
                : ConnectivityState.TRANSIENT_FAILURE;
    setState(now);
    if (now != ConnectivityState.TRANSIENT_FAILURE) {
      return List.of();
    }
    List<CompletableFuture<C>> fail = new ArrayList<>(failFast);
    failFast.clear();
    return fail;
  }

  @SuppressWarnings("unchecked")
  private void setRotation() {
    List<CompletableFuture<C>> ready = new ArrayList<>();
    for (Subchannel s : subchannels.values()) {
      if (s.connectivity == ConnectivityState.READY && s.ready != null) {
        ready.add(s.ready);
      }
    }
    rotation = ready.toArray(new CompletableFuture[0]);
  }

  private void failAll(List<CompletableFuture<C>> fail) {
    if (fail.isEmpty()) {
      return;
    }
    StatusException e = unavailable();
    fail.forEach(f -> f.completeExceptionally(e));
  }

  private synchronized StatusException unavailable() {
    if (resolutionError != null && subchannels.isEmpty()) {
      return resolutionError.asException();
    }
    Throwable cause = lastFailure;
    String why = cause == null ? "unknown error" : String.valueOf(cause.getMessage());
    return Status.UNAVAILABLE
        .withDescription("cannot connect to any of " + subchannels.keySet() + ": " + why)
        .withCause(cause)
        .asException();
  }

  private void setState(ConnectivityState next) {
    state.set(next);
  }
}
