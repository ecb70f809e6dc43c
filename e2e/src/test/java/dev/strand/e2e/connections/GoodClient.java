package dev.strand.e2e.connections;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The well-behaved bystander: a grpc-java channel making one unary call after another on its own
 * thread while an attack runs. It records each call's latency and every failure, so a test can show
 * that the attack did not starve it. Every call has a deadline and the loop stops on {@link
 * #close()}, so nothing here can run on after the test.
 */
final class GoodClient implements AutoCloseable {
  /** A call slower than this is a failure of containment, whatever the machine's load. */
  static final Duration CALL_DEADLINE = Duration.ofSeconds(3);

  /** Pause between calls, so the bystander does not compete with the attack for CPU. */
  private static final long PAUSE_MILLIS = 10;

  private final EventLoopGroup unixGroup;
  private final ManagedChannel channel;
  private final Thread loop;
  private final List<Long> latenciesNanos = new ArrayList<>(); // guarded by this
  private final List<String> failures = new ArrayList<>(); // guarded by this
  private volatile boolean stop;

  private GoodClient(SocketAddress address) {
    this.unixGroup =
        address instanceof InetSocketAddress
            ? null
            : new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    this.channel = GrpcJavaEcho.channel(address, unixGroup).build();
    this.loop = new Thread(this::run, "good-client");
    loop.setDaemon(true);
  }

  /** Starts the loop once a first call has succeeded, so connecting is not counted. */
  static GoodClient start(SocketAddress address) {
    GoodClient c = new GoodClient(address);
    try {
      GrpcJavaEcho.unary(c.channel, "warm-up", Duration.ofSeconds(10));
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
    c.loop.start();
    return c;
  }

  private void run() {
    int i = 0;
    while (!stop) {
      String request = "good-" + i++;
      long start = System.nanoTime();
      try {
        String reply = GrpcJavaEcho.unary(channel, request, CALL_DEADLINE);
        long took = System.nanoTime() - start;
        synchronized (this) {
          latenciesNanos.add(took);
          if (!reply.equals("echo:" + request)) {
            failures.add("wrong reply " + reply);
          }
        }
      } catch (RuntimeException e) {
        synchronized (this) {
          failures.add(e.toString());
        }
      }
      try {
        Thread.sleep(PAUSE_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Latency and failure figures so far. */
  synchronized Stats stats() {
    List<Long> sorted = new ArrayList<>(latenciesNanos);
    Collections.sort(sorted);
    return new Stats(
        sorted.size(),
        List.copyOf(failures),
        percentile(sorted, 0.50),
        percentile(sorted, 0.99),
        sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1));
  }

  /** Waits until at least {@code n} more calls succeeded, to show progress during an attack. */
  boolean awaitCalls(int n, Duration timeout) throws InterruptedException {
    int target = stats().calls() + n;
    long deadline = System.nanoTime() + timeout.toNanos();
    while (stats().calls() < target) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }

  private static long percentile(List<Long> sorted, double p) {
    if (sorted.isEmpty()) {
      return 0;
    }
    int index = (int) Math.ceil(p * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  @Override
  public void close() {
    stop = true;
    try {
      if (loop.isAlive()) {
        loop.join(TimeUnit.SECONDS.toMillis(5));
      }
      GrpcJavaEcho.close(channel);
      if (unixGroup != null) {
        unixGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  record Stats(int calls, List<String> failures, long p50Nanos, long p99Nanos, long maxNanos) {
    @Override
    public String toString() {
      return "calls="
          + calls
          + " failures="
          + failures.size()
          + (failures.isEmpty() ? "" : " " + failures.subList(0, Math.min(3, failures.size())))
          + " p50="
          + p50Nanos / 1_000_000
          + "ms p99="
          + p99Nanos / 1_000_000
          + "ms max="
          + maxNanos / 1_000_000
          + "ms";
    }
  }
}
