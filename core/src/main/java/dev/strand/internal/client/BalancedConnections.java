package dev.strand.internal.client;

import dev.strand.ConnectivityState;
import dev.strand.Status;
import dev.strand.StatusException;
import dev.strand.client.Backoff;
import dev.strand.spi.LoadBalancer;
import dev.strand.spi.NameResolver;
import dev.strand.spi.PickResult;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A channel's connections as its load-balancing policy keeps them: the channel runs the target's
 * {@link NameResolver} and hands its answers to the {@link LoadBalancer}, makes the connections of
 * the policy's subchannels, and gives each new call the connection the policy's picker chooses.
 * Calls the picker cannot place yet wait here and are picked again with each new picker; each is
 * told ({@link PickWaits}) whether it waited for the resolver and whether its pick waited.
 *
 * <p>The channel starts IDLE, with no resolver and no policy running; the first call (or {@code
 * state(true)}) starts both. Idle mode shuts both down again. A pick with a READY subchannel is a
 * volatile read, the picker's own work and one more volatile read, and allocates nothing.
 */
public final class BalancedConnections<C extends Connection> implements ChannelConnections<C> {
  private final Function<SocketAddress, C> connector;
  private final Supplier<NameResolver> resolvers;
  private final ServiceConfigs configs;
  private final Backoff backoff;
  private final ScheduledExecutorService events;
  private final String authority;

  private final SynchronizationContext sync = new SynchronizationContext();
  private final ChannelState state;
  private final Set<C> live = ConcurrentHashMap.newKeySet();
  private final Map<C, ConnectionSubchannel<C>> owners = new ConcurrentHashMap<>();

  /** The picker new calls use; null while nothing is running (IDLE) or before the first one. */
  private volatile LoadBalancer.Picker picker;

  private volatile boolean shutdown;

  /** Calls waiting for a pick. Guarded by this. */
  private final List<PendingPick<C>> pending = new ArrayList<>();

  /** The running policy and its resolver, or null while IDLE. Guarded by this. */
  private Running running;

  /**
   * {@code resolvers} makes the target's resolver (again after idle mode); {@code events} runs
   * state-change callbacks and timers.
   */
  public BalancedConnections(
      Function<SocketAddress, C> connector,
      Supplier<NameResolver> resolvers,
      ServiceConfigs configs,
      Backoff backoff,
      ScheduledExecutorService events,
      String authority) {
    this.connector = connector;
    this.resolvers = resolvers;
    this.configs = configs;
    this.backoff = backoff;
    this.events = events;
    this.authority = authority;
    this.state = new ChannelState(events);
  }

  /** A call waiting for a pick. */
  private static final class PendingPick<C> {
    final LoadBalancer.PickArgs args;
    final PickWaits waits;
    final CompletableFuture<C> future = new CompletableFuture<>();

    /**
     * Queued before the resolver's first answer of this spell: told once it has come. Read and
     * cleared in the synchronization context.
     */
    boolean awaitingResolution;

    PendingPick(LoadBalancer.PickArgs args, PickWaits waits, boolean awaitingResolution) {
      this.args = args;
      this.waits = waits;
      this.awaitingResolution = awaitingResolution;
    }
  }

  @Override
  public CompletableFuture<C> connectionFor(LoadBalancer.PickArgs args, PickWaits waits) {
    LoadBalancer.Picker current = picker;
    if (current != null) {
      CompletableFuture<C> picked = outcome(current.pick(args), args);
      if (picked != null) {
        return picked;
      }
    }
    PendingPick<C> waiting;
    synchronized (this) {
      if (shutdown) {
        return CompletableFuture.failedFuture(shutDown());
      }
      // A picker published between the pick above and here would not see this call: pick again.
      if (picker != current && picker != null) {
        CompletableFuture<C> picked = outcome(picker.pick(args), args);
        if (picked != null) {
          return picked;
        }
      }
      boolean resolving = running == null || !running.resolved;
      if (!resolving) {
        waits.pickQueued(); // before a repick can hand the call its connection
      }
      waiting = new PendingPick<>(args, waits, resolving);
      pending.add(waiting);
      if (running == null) {
        start();
      } else if (state.get() == ConnectivityState.IDLE) {
        sync.execute(running::requestConnection);
      }
    }
    return waiting.future;
  }

  /** What a pick means for a call: its connection, its failure, or null to wait. */
  @SuppressWarnings("unchecked")
  private CompletableFuture<C> outcome(PickResult result, LoadBalancer.PickArgs args) {
    if (result.subchannel() != null) {
      if (!(result.subchannel() instanceof ConnectionSubchannel<?> subchannel)) {
        return CompletableFuture.failedFuture(
            Status.INTERNAL
                .withDescription("the load balancer picked a subchannel this channel did not make")
                .asException());
      }
      return ((ConnectionSubchannel<C>) subchannel).readyConnection(); // null: lost, wait
    }
    if (result.status() != null && (result.isDrop() || !args.waitsForReady())) {
      return CompletableFuture.failedFuture(result.status().asException());
    }
    return null;
  }

  @Override
  public synchronized ConnectivityState state(boolean connect) {
    if (connect && !shutdown) {
      if (running == null) {
        start();
      } else if (state.get() == ConnectivityState.IDLE) {
        sync.execute(running::requestConnection);
      }
    }
    return state.get();
  }

  /** Leaves IDLE: a fresh resolver and policy. Holds the lock. */
  private void start() {
    Running now = new Running(resolvers.get());
    running = now;
    state.set(ConnectivityState.CONNECTING);
    sync.execute(now::start);
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
    List<PendingPick<C>> waiting;
    Running stopping;
    synchronized (this) {
      if (shutdown) {
        return;
      }
      shutdown = true;
      picker = null;
      stopping = running;
      running = null;
      waiting = new ArrayList<>(pending);
      pending.clear();
      state.set(ConnectivityState.SHUTDOWN);
    }
    if (stopping != null) {
      sync.execute(stopping::stop);
    }
    StatusException e = shutDown();
    waiting.forEach(p -> p.future.completeExceptionally(e));
  }

  private static StatusException shutDown() {
    return Status.UNAVAILABLE.withDescription("channel is shut down").asException();
  }

  @Override
  public void enterIdle() {
    Running stopping;
    synchronized (this) {
      if (shutdown || running == null || !pending.isEmpty()) {
        return;
      }
      stopping = running;
      running = null;
      picker = null;
      state.set(ConnectivityState.IDLE);
    }
    sync.execute(stopping::stop); // calls still on a connection finish there
  }

  @Override
  public void onConnectionLost(C conn, boolean closed) {
    ConnectionSubchannel<C> owner = closed ? owners.remove(conn) : owners.get(conn);
    if (closed) {
      live.remove(conn);
    }
    if (owner != null) {
      sync.execute(() -> owner.onConnectionLost(conn));
    }
  }

  boolean isShutdown() {
    return shutdown;
  }

  void inContext(Runnable task) {
    sync.execute(task);
  }

  ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
    return events.schedule(() -> sync.execute(task), delay, unit);
  }

  /** Makes a subchannel's connection. In the synchronization context. */
  C connect(SocketAddress address, ConnectionSubchannel<C> subchannel) {
    C conn = connector.apply(address);
    live.add(conn);
    owners.put(conn, subchannel);
    return conn;
  }

  /**
   * Picks again for every waiting call with the new picker; those it places leave the queue. True
   * if none is left waiting. {@code resolved}: the resolver has answered in this spell, so calls
   * that waited for it are told (and, if still waiting, that their pick waits now). In the context.
   */
  private boolean repick(LoadBalancer.Picker next, boolean resolved) {
    List<PendingPick<C>> waiting;
    synchronized (this) {
      if (pending.isEmpty()) {
        return true;
      }
      waiting = new ArrayList<>(pending);
    }
    for (PendingPick<C> p : waiting) {
      CompletableFuture<C> picked = outcome(next.pick(p.args), p.args);
      if (resolved && p.awaitingResolution) {
        p.awaitingResolution = false;
        p.waits.resolutionWaitEnded();
        if (picked == null) {
          p.waits.pickQueued();
        }
      }
      if (picked == null) {
        continue;
      }
      synchronized (this) {
        if (!pending.remove(p)) {
          continue; // failed by shutdown meanwhile
        }
      }
      picked.whenComplete(
          (conn, error) -> {
            if (error != null) {
              p.future.completeExceptionally(error);
            } else {
              p.future.complete(conn);
            }
          });
    }
    synchronized (this) {
      return pending.isEmpty();
    }
  }

  /**
   * One spell out of IDLE: the resolver and the policy it feeds, both stopped together. Everything
   * here runs in the synchronization context.
   */
  private final class Running implements LoadBalancer.Helper, NameResolver.Listener {
    final NameResolver resolver;

    /** Made in the context when this spell starts; replaced if a resolved config names another. */
    private LoadBalancer policy;

    private ServiceConfigs.Choice choice;

    private boolean stopped;

    /**
     * The resolver has given addresses in this spell. Set in the context before the policy sees
     * them, read under the channel's lock by calls deciding what they wait for.
     */
    volatile boolean resolved;

    private Duration nextResolveBackoff = backoff.initial();
    private ScheduledFuture<?> resolveRetry;

    Running(NameResolver resolver) {
      this.resolver = resolver;
    }

    void start() {
      if (stopped) {
        return;
      }
      choice = configs.initial();
      policy = choice.policy().newLoadBalancer(this);
      resolver.start(this);
    }

    void requestConnection() {
      if (!stopped && policy != null) {
        policy.requestConnection();
      }
    }

    void stop() {
      if (stopped) {
        return;
      }
      stopped = true;
      if (resolveRetry != null) {
        resolveRetry.cancel(false);
      }
      if (policy != null) {
        policy.shutdown();
        resolver.close();
      }
    }

    // ---- NameResolver.Listener: any thread, into the context ----

    @Override
    public void onResult(List<NameResolver.Endpoint> endpoints) {
      onResult(endpoints, null);
    }

    @Override
    public void onResult(List<NameResolver.Endpoint> endpoints, String serviceConfigJson) {
      sync.execute(
          () -> {
            if (stopped) {
              return;
            }
            nextResolveBackoff = backoff.initial();
            resolved = true;
            ServiceConfigs.Choice next = configs.onResolved(serviceConfigJson);
            if (!next.policy().policyName().equals(choice.policy().policyName())) {
              policy.shutdown(); // the config names another policy: switch
              policy = next.policy().newLoadBalancer(this);
            }
            choice = next;
            policy.acceptResolvedAddresses(endpoints, choice.policyConfig());
          });
    }

    @Override
    public void onError(Status error) {
      sync.execute(
          () -> {
            if (stopped) {
              return;
            }
            policy.handleNameResolutionError(error);
            // Look again later, paced like reconnects (connection-backoff.md).
            Duration delay = backoff.jittered(nextResolveBackoff);
            nextResolveBackoff = backoff.next(nextResolveBackoff);
            resolveRetry =
                BalancedConnections.this.schedule(
                    () -> {
                      if (!stopped) {
                        resolver.refresh();
                      }
                    },
                    delay.toNanos(),
                    TimeUnit.NANOSECONDS);
          });
    }

    // ---- LoadBalancer.Helper: in the context ----

    @Override
    public LoadBalancer.Subchannel createSubchannel(
        SocketAddress address, LoadBalancer.SubchannelStateListener listener, boolean checked) {
      return new ConnectionSubchannel<>(
          address,
          (next, status) -> {
            if (!stopped) {
              listener.onStateChange(next, status);
            }
          },
          BalancedConnections.this,
          backoff,
          checked ? choice.healthService() : null);
    }

    @Override
    public void updateBalancingState(ConnectivityState next, LoadBalancer.Picker nextPicker) {
      synchronized (BalancedConnections.this) {
        if (stopped || running != this) {
          return;
        }
        picker = nextPicker;
        state.set(next);
      }
      if (!repick(nextPicker, resolved) && next == ConnectivityState.IDLE) {
        // Calls are waiting (one may have found its connection gone just before this): an IDLE
        // policy connects only when asked. After this callback, not inside it.
        sync.execute(this::requestConnection);
      }
    }

    @Override
    public void refreshNameResolution() {
      if (!stopped) {
        resolver.refresh(); // the servers may have moved (naming.md)
      }
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
      return BalancedConnections.this.schedule(
          () -> {
            if (!stopped) {
              task.run();
            }
          },
          delay,
          unit);
    }

    @Override
    public String authority() {
      return authority;
    }
  }
}
