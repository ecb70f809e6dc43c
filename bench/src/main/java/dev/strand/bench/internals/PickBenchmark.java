package dev.strand.bench.internals;

import dev.strand.ConnectivityState;
import dev.strand.Metadata;
import dev.strand.client.Backoff;
import dev.strand.internal.client.BalancedConnections;
import dev.strand.internal.client.ChannelConnections;
import dev.strand.internal.client.CommandQueue;
import dev.strand.internal.client.Connection;
import dev.strand.internal.lb.LoadBalancers;
import dev.strand.internal.resolver.StaticResolver;
import dev.strand.spi.LoadBalancer;
import dev.strand.spi.NameResolver;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What a new call pays to get its connection: pick_first's one connection against round_robin's
 * rotation over four, both READY, over connections that do nothing (no network: the pick alone).
 * Run with {@code -prof gc}: a pick should allocate nothing.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PickBenchmark {
  @Param({"pick_first", "round_robin"})
  public String policy;

  private ScheduledExecutorService events;
  private ChannelConnections<Idle> connections;

  /** A connection that is ready and usable, and does nothing. */
  static final class Idle implements Connection {
    private final CompletableFuture<Idle> ready = CompletableFuture.completedFuture(this);

    @Override
    public CompletableFuture<?> ready() {
      return ready;
    }

    @Override
    public boolean isUsable() {
      return true;
    }

    @Override
    public CommandQueue commands() {
      throw new UnsupportedOperationException();
    }

    @Override
    public void shutdown() {}
  }

  /** What a picker sees of a call: the same for every pick, so no allocation is measured. */
  private record Call(boolean waitsForReady) implements LoadBalancer.PickArgs {
    @Override
    public String fullMethodName() {
      return "bench.Service/Unary";
    }

    @Override
    public Metadata headers() {
      return null;
    }
  }

  private static final Call CALL = new Call(false);

  /** The policy by name, with no service config. */
  private record FixedPolicy(dev.strand.spi.LoadBalancerProvider provider)
      implements dev.strand.internal.client.ServiceConfigs {
    @Override
    public Choice initial() {
      return new Choice(provider, java.util.Map.of(), null);
    }

    @Override
    public Choice onResolved(String serviceConfigJson) {
      return initial();
    }
  }

  private static final Call WAITING = new Call(true);

  @Setup(Level.Trial)
  public void setup() throws Exception {
    events = Executors.newSingleThreadScheduledExecutor();
    List<NameResolver.Endpoint> four = new ArrayList<>();
    for (int i = 2; i <= 5; i++) {
      four.add(NameResolver.Endpoint.of(new InetSocketAddress("127.0.0." + i, 50051)));
    }
    StaticResolver resolver = new StaticResolver("bench:50051", four);
    connections =
        new BalancedConnections<>(
            address -> new Idle(),
            () -> resolver,
            new FixedPolicy(LoadBalancers.forName(policy, List.of())),
            Backoff.DEFAULT,
            events,
            "bench:50051");
    connections.connectionFor(WAITING).get(5, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (connections.state(false) != ConnectivityState.READY && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    if (policy.equals("round_robin")) {
      // Every subchannel in the rotation before measuring.
      java.util.Set<Idle> seen = new java.util.HashSet<>();
      while (seen.size() < 4 && System.nanoTime() < deadline) {
        seen.add(connections.connectionFor(CALL).getNow(null));
      }
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    connections.shutdown();
    events.shutdownNow();
  }

  @Benchmark
  public Object pick() {
    return connections.connectionFor(CALL);
  }
}
