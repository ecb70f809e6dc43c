package dev.strand.e2e.connections;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.Metadata;
import dev.strand.server.Server;
import dev.strand.server.ServerBuilder;
import dev.strand.server.ServerCall;
import dev.strand.server.ServerCallHandler;
import dev.strand.server.ServerInterceptor;
import dev.strand.testing.EchoService;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * One attack's stage: a Strand server (core's EchoService, on loopback), a {@link GoodClient}
 * calling it throughout, a memory baseline, and the attackers' connections. {@link
 * #assertContained} is the verdict every attack test ends with: the bystander kept getting answers
 * quickly and memory stayed within the stated bound.
 */
final class AttackScene implements AutoCloseable {
  /** The bystander's p99 must stay under this while the attack runs (generous: 2 busy cores). */
  static final Duration P99_BOUND = Duration.ofSeconds(2);

  /** Memory growth allowed over an attack: far below what the attacks would cost if queued. */
  static final long HEAP_BOUND = 48 * MemoryProbe.MB;

  static final long DIRECT_BOUND = 16 * MemoryProbe.MB;

  private final Server server;
  private final Map<SocketAddress, AtomicInteger> callsByPeer;
  private final GoodClient good;
  private final MemoryProbe.Snapshot baseline;
  private final Deque<RawPeer> attackers = new ArrayDeque<>();

  private AttackScene(
      Server server,
      Map<SocketAddress, AtomicInteger> callsByPeer,
      GoodClient good,
      MemoryProbe.Snapshot baseline) {
    this.server = server;
    this.callsByPeer = callsByPeer;
    this.good = good;
    this.baseline = baseline;
  }

  /** Starts the server on loopback TCP, configured by {@code config}, and the bystander. */
  static AttackScene start(UnaryOperator<ServerBuilder> config)
      throws IOException, InterruptedException {
    return startWith(b -> config.apply(b.address("127.0.0.1", 0)));
  }

  /** The same on a Unix domain socket at {@code path}; the bystander connects there too. */
  static AttackScene startUnix(Path path, UnaryOperator<ServerBuilder> config)
      throws IOException, InterruptedException {
    return startWith(b -> config.apply(b.unixSocket(path)));
  }

  private static AttackScene startWith(UnaryOperator<ServerBuilder> config)
      throws IOException, InterruptedException {
    // Counts the calls the server started, per client address: the work an attack bought.
    Map<SocketAddress, AtomicInteger> calls = new ConcurrentHashMap<>();
    ServerInterceptor counter =
        new ServerInterceptor() {
          @Override
          public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
              ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
            calls
                .computeIfAbsent(call.info().remoteAddress(), a -> new AtomicInteger())
                .incrementAndGet();
            return next.startCall(call, headers);
          }
        };
    Server server =
        config
            .apply(Server.builder().service(EchoService.definition()).interceptor(counter))
            .start();
    try {
      GoodClient good = GoodClient.start(server.address());
      return new AttackScene(server, calls, good, MemoryProbe.take());
    } catch (RuntimeException e) {
      server.shutdownNow();
      throw e;
    }
  }

  int port() {
    return server.port();
  }

  /** How many calls the server started for {@code peer}'s connection. */
  int callsStartedBy(RawPeer peer) {
    AtomicInteger n = callsByPeer.get(peer.localAddress());
    return n == null ? 0 : n.get();
  }

  RawPeer attacker(RawPeer.Options options) throws InterruptedException {
    RawPeer peer = RawPeer.connect(server.address(), options);
    attackers.push(peer);
    return peer;
  }

  /**
   * The verdict: the bystander made at least {@code minCalls} more calls after the attack (it is
   * still served), none failed, its p99 stayed under {@link #P99_BOUND}, and memory grew less than
   * the bounds.
   */
  void assertContained(String attack, int minCalls) throws InterruptedException {
    assertTrue(
        good.awaitCalls(minCalls, Duration.ofSeconds(10)),
        attack + ": the good client stalled: " + good.stats());
    MemoryProbe.Snapshot after = MemoryProbe.take();
    GoodClient.Stats stats = good.stats();
    System.out.println(
        "[attack] " + attack + ": good client " + stats + "; " + after.growthSince(baseline));
    assertTrue(stats.failures().isEmpty(), attack + ": good client calls failed: " + stats);
    assertTrue(
        stats.p99Nanos() < P99_BOUND.toNanos(),
        attack + ": good client p99 over " + P99_BOUND + ": " + stats);
    MemoryProbe.assertBounded(baseline, after, HEAP_BOUND, DIRECT_BOUND);
  }

  @Override
  public void close() {
    while (!attackers.isEmpty()) {
      attackers.pop().close();
    }
    good.close();
    server.shutdownNow();
    try {
      server.awaitTermination(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
