package dev.strand.internal.lb;

import dev.strand.ConnectivityState;
import dev.strand.Status;
import dev.strand.spi.LoadBalancer;
import dev.strand.spi.NameResolver;
import dev.strand.spi.PickResult;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A policy's channel, played by the test: subchannels that connect only when the test says so, a
 * clock that moves only when the test moves it, and a record of every state and picker published.
 * Single-threaded, as the synchronization context is.
 */
final class RecordingHelper implements LoadBalancer.Helper {
  final List<TestSubchannel> subchannels = new ArrayList<>();
  final List<ConnectivityState> states = new ArrayList<>();
  LoadBalancer.Picker picker;
  int refreshes;
  private final List<Timer> timers = new ArrayList<>();
  private long nowNanos;

  static SocketAddress address(String host) {
    return new InetSocketAddress(host, 443);
  }

  static List<NameResolver.Endpoint> endpoints(String... hosts) {
    List<NameResolver.Endpoint> endpoints = new ArrayList<>();
    for (String host : hosts) {
      endpoints.add(NameResolver.Endpoint.of(address(host)));
    }
    return endpoints;
  }

  /** A subchannel that records what the policy asks of it; the test reports its states. */
  static final class TestSubchannel implements LoadBalancer.Subchannel {
    final SocketAddress address;
    final LoadBalancer.SubchannelStateListener listener;
    int connectionRequests;
    boolean shutdown;
    boolean healthChecked;

    TestSubchannel(SocketAddress address, LoadBalancer.SubchannelStateListener listener) {
      this.address = address;
      this.listener = listener;
    }

    @Override
    public SocketAddress address() {
      return address;
    }

    @Override
    public void requestConnection() {
      connectionRequests++;
    }

    @Override
    public void shutdown() {
      shutdown = true;
    }

    void report(ConnectivityState state) {
      listener.onStateChange(state, Status.OK);
    }

    void fail(String why) {
      listener.onStateChange(
          ConnectivityState.TRANSIENT_FAILURE, Status.UNAVAILABLE.withDescription(why));
    }
  }

  @Override
  public LoadBalancer.Subchannel createSubchannel(
      SocketAddress address, LoadBalancer.SubchannelStateListener listener, boolean healthChecked) {
    TestSubchannel s = new TestSubchannel(address, listener);
    s.healthChecked = healthChecked;
    subchannels.add(s);
    return s;
  }

  /** The newest live subchannel to {@code host}. */
  TestSubchannel subchannel(String host) {
    for (int i = subchannels.size() - 1; i >= 0; i--) {
      TestSubchannel s = subchannels.get(i);
      if (s.address.equals(address(host)) && !s.shutdown) {
        return s;
      }
    }
    throw new AssertionError("no live subchannel to " + host + " in " + subchannels);
  }

  boolean hasLiveSubchannel(String host) {
    return subchannels.stream().anyMatch(s -> s.address.equals(address(host)) && !s.shutdown);
  }

  @Override
  public void updateBalancingState(ConnectivityState state, LoadBalancer.Picker picker) {
    states.add(state);
    this.picker = picker;
  }

  ConnectivityState state() {
    return states.isEmpty() ? null : states.get(states.size() - 1);
  }

  PickResult pick(boolean waitsForReady) {
    return picker.pick(
        new LoadBalancer.PickArgs() {
          @Override
          public String fullMethodName() {
            return "test.Service/Method";
          }

          @Override
          public dev.strand.Metadata headers() {
            return new dev.strand.Metadata();
          }

          @Override
          public boolean waitsForReady() {
            return waitsForReady;
          }
        });
  }

  /** The host a pick chose, or null if it chose none. */
  String pickedHost() {
    PickResult result = pick(false);
    return result.subchannel() == null
        ? null
        : ((InetSocketAddress) result.subchannel().address()).getHostString();
  }

  @Override
  public void refreshNameResolution() {
    refreshes++;
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
    Timer timer = new Timer(nowNanos + unit.toNanos(delay), task);
    timers.add(timer);
    return timer;
  }

  /** Moves the clock on, running the timers that come due, in order. */
  void advance(long millis) {
    long until = nowNanos + TimeUnit.MILLISECONDS.toNanos(millis);
    for (int guard = 0; guard < 1000; guard++) {
      Timer next = null;
      for (Timer t : timers) {
        if (!t.cancelled && t.dueNanos <= until && (next == null || t.dueNanos < next.dueNanos)) {
          next = t;
        }
      }
      if (next == null) {
        break;
      }
      timers.remove(next);
      nowNanos = next.dueNanos;
      next.task.run();
    }
    nowNanos = until;
  }

  @Override
  public String authority() {
    return "test:443";
  }

  private static final class Timer implements ScheduledFuture<Object> {
    final long dueNanos;
    final Runnable task;
    boolean cancelled;

    Timer(long dueNanos, Runnable task) {
      this.dueNanos = dueNanos;
      this.task = task;
    }

    @Override
    public boolean cancel(boolean mayInterrupt) {
      cancelled = true;
      return true;
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }

    @Override
    public boolean isDone() {
      return cancelled;
    }

    @Override
    public Object get() {
      throw new UnsupportedOperationException();
    }

    @Override
    public Object get(long timeout, TimeUnit unit) {
      throw new UnsupportedOperationException();
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(dueNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
      return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
    }
  }
}
