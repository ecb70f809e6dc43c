package dev.strand.e2e.naming;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strand.client.CallOptions;
import dev.strand.client.Channel;
import dev.strand.client.ManagedChannel;
import dev.strand.server.Server;
import dev.strand.stub.ClientCalls;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service config published in DNS (gRFC A2) by a real DNS server, dnsmasq: a TXT record {@code
 * _grpc_config.<name>} with {@code grpc_config=} and a list of choices. With {@code
 * -Dstrand.dnsServiceConfig=true} the channel reads it and takes its round_robin policy over the
 * builder's pick_first; {@code disableServiceConfigLookUp()} ignores it; an invalid one leaves the
 * default in force (A21).
 */
@Timeout(60)
class DnsServiceConfigTest {
  private static final String[] IPS = {"127.0.0.17", "127.0.0.18", "127.0.0.19"};
  private final List<Server> servers = new ArrayList<>();
  private final List<ManagedChannel> channels = new ArrayList<>();
  private Dnsmasq dns;
  private int port;

  @BeforeEach
  void start(@TempDir Path dir) throws Exception {
    System.setProperty("strand.dnsServiceConfig", "true");
    servers.add(Who.serve(IPS[0], 0, IPS[0]));
    port = servers.get(0).port();
    for (int i = 1; i < IPS.length; i++) {
      servers.add(Who.serve(IPS[i], port, IPS[i]));
    }
    List<String> hosts = new ArrayList<>();
    for (String ip : IPS) {
      hosts.add(ip + " orders.strand.test");
      hosts.add(ip + " broken.strand.test");
    }
    dns =
        Dnsmasq.start(
            dir,
            hosts,
            List.of(
                txt(
                    "_grpc_config.orders.strand.test",
                    "grpc_config=[{\"clientLanguage\":[\"go\"],\"serviceConfig\":{}},"
                        + "{\"clientLanguage\":[\"java\"],\"percentage\":100,"
                        + "\"serviceConfig\":{\"loadBalancingConfig\":[{\"round_robin\":{}}]}}]"),
                txt(
                    "_grpc_config.broken.strand.test",
                    "grpc_config=[{\"serviceConfig\":"
                        + "{\"loadBalancingConfig\":[{\"no_such_policy\":{}}]}}]")));
  }

  /**
   * A txt-record for dnsmasq's config file: quoted (unquoted text is split at commas into separate
   * strings), with the text's own quotes and backslashes escaped.
   */
  private static String txt(String name, String text) {
    return name + ",\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  @AfterEach
  void stop() throws Exception {
    System.clearProperty("strand.dnsServiceConfig");
    for (ManagedChannel c : channels) {
      c.shutdownNow();
      c.awaitTermination(Duration.ofSeconds(5));
    }
    for (Server s : servers) {
      s.shutdownNow();
      s.awaitTermination(Duration.ofSeconds(5));
    }
    if (dns != null) {
      dns.close();
    }
  }

  private ManagedChannel channel(String name, boolean lookUp) {
    var builder = Channel.to("dns://127.0.0.1:" + dns.port() + "/" + name + ":" + port).plaintext();
    if (!lookUp) {
      builder.disableServiceConfigLookUp();
    }
    ManagedChannel channel = builder.build();
    channels.add(channel);
    return channel;
  }

  private static Map<String, Integer> calls(ManagedChannel channel, int n) throws Exception {
    Map<String, Integer> counts = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      counts.merge(
          ClientCalls.blockingUnary(
              channel,
              Who.NAME,
              CallOptions.DEFAULT.withWaitForReady().withTimeout(Duration.ofSeconds(10)),
              "who"),
          1,
          Integer::sum);
    }
    return counts;
  }

  @Test
  void theTxtRecordsRoundRobinReplacesTheBuildersPickFirst() throws Exception {
    ManagedChannel channel = channel("orders.strand.test", true);
    Map<String, Integer> seen = Map.of();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (seen.size() < IPS.length && System.nanoTime() < deadline) {
      seen = calls(channel, 30); // until all three subchannels are READY
    }
    Map<String, Integer> counts = calls(channel, 300);
    assertEquals(Set.of(IPS), counts.keySet(), "round_robin from DNS: " + counts);
    for (int count : counts.values()) {
      assertEquals(100, count, 10, "even spread: " + counts);
    }
  }

  @Test
  void disableServiceConfigLookUpKeepsTheBuildersPolicy() throws Exception {
    Map<String, Integer> counts = calls(channel("orders.strand.test", false), 60);
    assertEquals(1, counts.size(), "pick_first: one server takes every call: " + counts);
  }

  @Test
  void anInvalidConfigInDnsLeavesTheDefaultInForce() throws Exception {
    Map<String, Integer> counts = calls(channel("broken.strand.test", true), 60);
    assertEquals(1, counts.size(), "the default pick_first, calls still served: " + counts);
  }
}
