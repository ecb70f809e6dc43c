package dev.strand.e2e.naming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.ConnectivityState;
import dev.strand.MethodDescriptor;
import dev.strand.StatusException;
import dev.strand.client.CallOptions;
import dev.strand.client.Channel;
import dev.strand.client.ManagedChannel;
import dev.strand.server.Server;
import dev.strand.stub.ClientCalls;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * round_robin over four servers on distinct loopback addresses, three Strand and one grpc-java
 * 1.85.1 (the last): calls spread evenly; a server that goes away leaves the rotation and no later
 * call fails; back on its address, it rejoins.
 */
@Timeout(60)
class RoundRobinTest {
  private static final MethodDescriptor<String, String> WHO = Who.NAME;

  /** A fresh 10 s deadline per call (a CallOptions deadline is absolute). */
  private static CallOptions options() {
    return CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(10));
  }

  private static final String[] IPS = {"127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"};

  private final Server[] servers = new Server[IPS.length];
  private io.grpc.Server grpcJava;
  private final List<ManagedChannel> channels = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (ManagedChannel c : channels) {
      c.shutdownNow();
      c.awaitTermination(Duration.ofSeconds(5));
    }
    for (Server s : servers) {
      if (s != null) {
        stop(s);
      }
    }
    if (grpcJava != null) {
      grpcJava.shutdownNow().awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  private static Server serve(String ip, int port) throws Exception {
    return Who.serve(ip, port, ip);
  }

  private static void stop(Server server) throws InterruptedException {
    server.shutdownNow();
    server.awaitTermination(Duration.ofSeconds(5));
  }

  private ManagedChannel roundRobin(int port) {
    StringBuilder target = new StringBuilder("ipv4:");
    for (String ip : IPS) {
      target.append(target.length() > 5 ? "," : "").append(ip).append(':').append(port);
    }
    ManagedChannel channel =
        Channel.to(target.toString()).plaintext().loadBalancingPolicy("round_robin").build();
    channels.add(channel);
    return channel;
  }

  private static Map<String, Integer> calls(ManagedChannel channel, int n) throws Exception {
    Map<String, Integer> counts = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      counts.merge(ClientCalls.blockingUnary(channel, WHO, options(), "who"), 1, Integer::sum);
    }
    return counts;
  }

  /** Waits (bounded) until every listed server has answered within one round of calls. */
  private static void awaitServing(ManagedChannel channel, List<String> ips) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    Map<String, Integer> seen = Map.of();
    while (System.nanoTime() < deadline) {
      try {
        seen = calls(channel, 4 * ips.size());
        if (seen.keySet().containsAll(ips)) {
          return;
        }
      } catch (StatusException e) {
        // A call on a connection that was going away; keep calling.
      }
      Thread.sleep(20);
    }
    throw new AssertionError("not every server answered: " + seen + ", wanted " + ips);
  }

  @Test
  void spreadsEvenlyRoutesAroundTheDeadAndTakesThemBack() throws Exception {
    servers[0] = serve(IPS[0], 0);
    int port = servers[0].port();
    for (int i = 1; i < IPS.length - 1; i++) {
      servers[i] = serve(IPS[i], port);
    }
    grpcJava = Who.serveGrpcJava(IPS[3], port, IPS[3]);
    ManagedChannel channel = roundRobin(port);
    awaitServing(channel, List.of(IPS));
    assertEquals(ConnectivityState.READY, channel.state(false));

    Map<String, Integer> counts = calls(channel, 4000);
    assertEquals(List.of(IPS), new ArrayList<>(counts.keySet()), counts::toString);
    for (int count : counts.values()) {
      assertTrue(count >= 900 && count <= 1100, "within 10% of 1000 each: " + counts);
    }

    // One server goes away. Once the channel has seen its connection close, no call fails and
    // none goes there.
    stop(servers[2]);
    servers[2] = null;
    List<String> alive = List.of(IPS[0], IPS[1], IPS[3]);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (!calls(channel, 30).containsKey(IPS[2])) {
          break;
        }
      } catch (StatusException e) {
        // In flight on the closing connection: allowed, before the close is seen.
      }
    }
    Map<String, Integer> after = calls(channel, 1200);
    assertFalse(after.containsKey(IPS[2]), after::toString);
    assertEquals(alive, new ArrayList<>(after.keySet()), after::toString);
    for (int count : after.values()) {
      assertTrue(count >= 360 && count <= 440, "within 10% of 400 each: " + after);
    }

    // Back on its address: it rejoins once its subchannel's backoff lets it reconnect.
    servers[2] = serve(IPS[2], port);
    awaitServing(channel, List.of(IPS));
  }

  /** The backends are processes of their own; one is SIGKILLed, then started again. */
  @Test
  void aSigkilledBackendProcessLeavesTheRotationWithoutFailingLaterCalls() throws Exception {
    List<BackendProcess> backends = new ArrayList<>();
    try {
      backends.add(BackendProcess.start(IPS[0], 0));
      int port = backends.get(0).port();
      backends.add(BackendProcess.start(IPS[1], port));
      backends.add(BackendProcess.start(IPS[2], port));
      StringBuilder target = new StringBuilder("ipv4:");
      for (int i = 0; i < 3; i++) {
        target.append(i > 0 ? "," : "").append(IPS[i]).append(':').append(port);
      }
      ManagedChannel channel =
          Channel.to(target.toString()).plaintext().loadBalancingPolicy("round_robin").build();
      channels.add(channel);
      awaitServing(channel, List.of(IPS[0], IPS[1], IPS[2]));

      backends.get(1).kill();
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (System.nanoTime() < deadline) {
        try {
          if (!calls(channel, 30).containsKey(IPS[1])) {
            break;
          }
        } catch (StatusException e) {
          // In flight on the killed connection, before its loss was seen.
        }
      }
      Map<String, Integer> after = calls(channel, 600);
      assertEquals(List.of(IPS[0], IPS[2]), new ArrayList<>(after.keySet()), after::toString);

      backends.set(1, BackendProcess.start(IPS[1], port));
      awaitServing(channel, List.of(IPS[0], IPS[1], IPS[2]));
    } finally {
      for (BackendProcess b : backends) {
        b.close();
      }
    }
  }

  /**
   * A backend that stops (SIGSTOP) with its connections open answers nothing, not even a close:
   * keepalive finds it out, and calls move on within keepalive time + timeout.
   */
  @Test
  void aFrozenBackendIsFoundByKeepaliveAndCallsMoveOn() throws Exception {
    List<BackendProcess> backends = new ArrayList<>();
    try {
      backends.add(BackendProcess.start(IPS[0], 0));
      int port = backends.get(0).port();
      backends.add(BackendProcess.start(IPS[1], port));
      ManagedChannel channel =
          Channel.to("ipv4:" + IPS[0] + ":" + port + "," + IPS[1] + ":" + port)
              .plaintext()
              .loadBalancingPolicy("round_robin")
              .keepAlive(Duration.ofMillis(500), Duration.ofMillis(500), true)
              .build();
      channels.add(channel);
      awaitServing(channel, List.of(IPS[0], IPS[1]));

      backends.get(1).freeze(true);
      long frozenAt = System.nanoTime();
      // Until keepalive has seen it, calls picked for the frozen one time out; after that, a whole
      // batch succeeds on the other.
      long deadline = frozenAt + Duration.ofSeconds(10).toNanos();
      boolean movedOn = false;
      while (!movedOn && System.nanoTime() < deadline) {
        try {
          movedOn = true;
          for (int i = 0; i < 20; i++) {
            assertEquals(
                IPS[0],
                ClientCalls.blockingUnary(
                    channel, WHO, CallOptions.DEFAULT.withTimeout(Duration.ofMillis(300)), "who"));
          }
        } catch (StatusException e) {
          assertEquals(dev.strand.Status.Code.DEADLINE_EXCEEDED, e.status().code(), e::toString);
          movedOn = false;
        }
      }
      long movedAfterMillis = (System.nanoTime() - frozenAt) / 1_000_000;
      assertTrue(movedOn, "calls still went to the frozen backend after 10 s");
      // keepalive time + timeout = 1 s; a batch of calls and the ping timer's turn on top.
      assertTrue(movedAfterMillis < 3000, "moved on after " + movedAfterMillis + " ms");
      Map<String, Integer> after = calls(channel, 200);
      assertEquals(Map.of(IPS[0], 200), after);
      backends.get(1).freeze(false);
    } finally {
      for (BackendProcess b : backends) {
        b.close();
      }
    }
  }

  @Test
  void everyServerDownFailsFastCallsWithTheAddresses() throws Exception {
    int port;
    try (java.net.ServerSocket probe =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(IPS[0]))) {
      port = probe.getLocalPort();
    }
    ManagedChannel channel = roundRobin(port);
    StatusException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            StatusException.class, () -> ClientCalls.blockingUnary(channel, WHO, options(), "who"));
    assertEquals(dev.strand.Status.Code.UNAVAILABLE, e.status().code(), e::toString);
    assertTrue(e.status().description().contains(IPS[0]), e::toString);
    assertEquals(ConnectivityState.TRANSIENT_FAILURE, channel.state(false));

    // A wait-for-ready call waits for a server to come up and then succeeds.
    servers[1] = serve(IPS[1], port);
    assertEquals(
        IPS[1], ClientCalls.blockingUnary(channel, WHO, options().withWaitForReady(), "who"));
  }
}
