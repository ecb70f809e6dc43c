package dev.strand.e2e.naming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.MethodDescriptor;
import dev.strand.Status;
import dev.strand.StatusException;
import dev.strand.client.CallOptions;
import dev.strand.client.Channel;
import dev.strand.client.ManagedChannel;
import dev.strand.server.Server;
import dev.strand.stub.ClientCalls;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dns://SERVER/name:port} against a real DNS server (dnsmasq) with several A records for
 * servers on distinct loopback addresses: the channel connects to what DNS says, in order, moves to
 * the next address when one is down (pick_first), and reports a name DNS does not know as
 * UNAVAILABLE naming the name. A malformed target fails build() naming the accepted forms.
 */
@Timeout(60)
class DnsTargetTest {
  private static final MethodDescriptor<String, String> WHO = Who.NAME;

  /** A fresh 10 s deadline per call (a CallOptions deadline is absolute). */
  private static CallOptions options() {
    return CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(10));
  }

  @TempDir Path dir;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private Server serve(String ip, int port, String name) throws Exception {
    Server server = Who.serve(ip, port, name);
    toClose.add(() -> stop(server));
    return server;
  }

  private static void stop(Server server) throws InterruptedException {
    server.shutdownNow();
    server.awaitTermination(Duration.ofSeconds(5));
  }

  private ManagedChannel channel(String target) {
    ManagedChannel channel = Channel.to(target).plaintext().build();
    toClose.add(
        () -> {
          channel.shutdownNow();
          channel.awaitTermination(Duration.ofSeconds(5));
        });
    return channel;
  }

  @Test
  void connectsWhereDnsSaysAndFailsOverToTheNextAddress() throws Exception {
    Server first = serve("127.0.0.2", 0, "first");
    int port = first.port();
    serve("127.0.0.3", port, "second");
    Dnsmasq dns =
        Dnsmasq.start(
            dir, List.of("127.0.0.2 backends.strand.test", "127.0.0.3 backends.strand.test"));
    toClose.add(dns);

    ManagedChannel channel = channel(dns.target("backends.strand.test:" + port));
    assertEquals("backends.strand.test:" + port, channel.authority());
    for (int i = 0; i < 5; i++) {
      assertEquals(
          "first",
          ClientCalls.blockingUnary(channel, WHO, options(), "who"),
          "pick_first keeps to the first address DNS gave");
    }

    stop(first);
    // The connection to the first is gone; the next call connects again, and the first address
    // refuses: the channel moves on to the second at once.
    String answer = null;
    for (int i = 0; i < 50 && !"second".equals(answer); i++) {
      try {
        answer = ClientCalls.blockingUnary(channel, WHO, options(), "who");
      } catch (StatusException e) {
        // A call that was on the dying connection may fail; later ones must not.
        assertEquals(Status.Code.UNAVAILABLE, e.status().code(), e::toString);
      }
    }
    assertEquals("second", answer);
    for (int i = 0; i < 5; i++) {
      assertEquals("second", ClientCalls.blockingUnary(channel, WHO, options(), "who"));
    }
  }

  /** Calls until the answers include (or, {@code present} false, exclude) {@code ip}. */
  private static void awaitAnswer(ManagedChannel channel, String ip, boolean present)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline) {
      java.util.Set<String> seen = new java.util.HashSet<>();
      try {
        for (int i = 0; i < 30; i++) {
          seen.add(ClientCalls.blockingUnary(channel, WHO, options(), "who"));
        }
      } catch (StatusException e) {
        assertEquals(Status.Code.UNAVAILABLE, e.status().code(), e::toString);
      }
      if (seen.contains(ip) == present) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(ip + (present ? " never answered" : " kept answering"));
  }

  /** round_robin follows the records: a server added to the name joins, a removed one leaves. */
  @Test
  void roundRobinFollowsTheRecordsAsTheyChange() throws Exception {
    System.setProperty("strand.dnsRefreshIntervalMillis", "200");
    try {
      int port = serve("127.0.0.2", 0, "127.0.0.2").port();
      serve("127.0.0.3", port, "127.0.0.3");
      serve("127.0.0.4", port, "127.0.0.4");
      Dnsmasq dns =
          Dnsmasq.start(dir, List.of("127.0.0.2 pool.strand.test", "127.0.0.3 pool.strand.test"));
      toClose.add(dns);
      ManagedChannel channel =
          Channel.to(dns.target("pool.strand.test:" + port))
              .plaintext()
              .loadBalancingPolicy("round_robin")
              .build();
      toClose.add(
          () -> {
            channel.shutdownNow();
            channel.awaitTermination(Duration.ofSeconds(5));
          });
      awaitAnswer(channel, "127.0.0.2", true);
      awaitAnswer(channel, "127.0.0.3", true);

      dns.setRecords(
          List.of(
              "127.0.0.2 pool.strand.test",
              "127.0.0.3 pool.strand.test",
              "127.0.0.4 pool.strand.test"));
      awaitAnswer(channel, "127.0.0.4", true);

      dns.setRecords(List.of("127.0.0.3 pool.strand.test", "127.0.0.4 pool.strand.test"));
      awaitAnswer(channel, "127.0.0.2", false);
      java.util.Map<String, Integer> counts = new java.util.TreeMap<>();
      for (int i = 0; i < 300; i++) {
        counts.merge(ClientCalls.blockingUnary(channel, WHO, options(), "who"), 1, Integer::sum);
      }
      assertEquals(java.util.Set.of("127.0.0.3", "127.0.0.4"), counts.keySet(), counts::toString);
      assertTrue(counts.values().stream().allMatch(n -> n >= 135 && n <= 165), counts::toString);
    } finally {
      System.clearProperty("strand.dnsRefreshIntervalMillis");
    }
  }

  /** pick_first leaves an address that left the name, for the name's new address. */
  @Test
  void pickFirstMovesWhenItsAddressLeavesTheName() throws Exception {
    System.setProperty("strand.dnsRefreshIntervalMillis", "200");
    try {
      int port = serve("127.0.0.2", 0, "127.0.0.2").port();
      serve("127.0.0.3", port, "127.0.0.3");
      Dnsmasq dns = Dnsmasq.start(dir, List.of("127.0.0.2 moving.strand.test"));
      toClose.add(dns);
      ManagedChannel channel = channel(dns.target("moving.strand.test:" + port));
      assertEquals("127.0.0.2", ClientCalls.blockingUnary(channel, WHO, options(), "who"));
      dns.setRecords(List.of("127.0.0.3 moving.strand.test"));
      awaitAnswer(channel, "127.0.0.2", false);
      for (int i = 0; i < 50; i++) {
        assertEquals("127.0.0.3", ClientCalls.blockingUnary(channel, WHO, options(), "who"));
      }
    } finally {
      System.clearProperty("strand.dnsRefreshIntervalMillis");
    }
  }

  @Test
  void aNameDnsDoesNotKnowIsUnavailableNamingIt() throws Exception {
    Dnsmasq dns = Dnsmasq.start(dir, List.of("127.0.0.2 backends.strand.test"));
    toClose.add(dns);
    ManagedChannel channel = channel(dns.target("missing.strand.test:443"));
    StatusException e =
        assertThrows(
            StatusException.class, () -> ClientCalls.blockingUnary(channel, WHO, options(), "who"));
    assertEquals(Status.Code.UNAVAILABLE, e.status().code(), e::toString);
    assertTrue(e.status().description().contains("missing.strand.test"), e::toString);
  }

  @Test
  void aMalformedTargetFailsBuildNamingTheAcceptedForms() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Channel.to("dns://not-an-ip/backends:1").plaintext().build());
    assertTrue(e.getMessage().contains("'dns://not-an-ip/backends:1'"), e.getMessage());
    assertTrue(e.getMessage().contains("ipv4:ADDR:PORT"), e.getMessage());
  }
}
