package dev.strand.e2e.naming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.client.CallOptions;
import dev.strand.client.Channel;
import dev.strand.client.ManagedChannel;
import dev.strand.server.Server;
import dev.strand.stub.ClientCalls;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The service config's {@code loadBalancingConfig} chooses the channel's policy and its config
 * (load-balancing.md, A62), in place of the builder's: round_robin by config alone, and
 * pick_first's {@code shuffleAddressList} spreading many channels over the servers.
 */
@Timeout(60)
class PolicyFromServiceConfigTest {
  private static final String[] IPS = {"127.0.0.9", "127.0.0.10", "127.0.0.11", "127.0.0.12"};
  private final List<Server> servers = new ArrayList<>();
  private final List<ManagedChannel> channels = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (ManagedChannel c : channels) {
      c.shutdownNow();
      c.awaitTermination(Duration.ofSeconds(5));
    }
    for (Server s : servers) {
      s.shutdownNow();
      s.awaitTermination(Duration.ofSeconds(5));
    }
  }

  /** Four servers on one port, answering with their address; the target naming them all. */
  private String serveAll() throws Exception {
    servers.add(Who.serve(IPS[0], 0, IPS[0]));
    int port = servers.get(0).port();
    for (int i = 1; i < IPS.length; i++) {
      servers.add(Who.serve(IPS[i], port, IPS[i]));
    }
    StringBuilder target = new StringBuilder("ipv4:");
    for (String ip : IPS) {
      target.append(target.length() > 5 ? "," : "").append(ip).append(':').append(port);
    }
    return target.toString();
  }

  private ManagedChannel channel(String target, String serviceConfig) {
    ManagedChannel channel =
        Channel.to(target).plaintext().defaultServiceConfig(serviceConfig).build();
    channels.add(channel);
    return channel;
  }

  private static String who(ManagedChannel channel) throws Exception {
    return ClientCalls.blockingUnary(
        channel,
        Who.NAME,
        CallOptions.DEFAULT.withWaitForReady().withTimeout(Duration.ofSeconds(10)),
        "who");
  }

  @Test
  void theConfigAloneMakesTheChannelRoundRobin() throws Exception {
    ManagedChannel channel =
        channel(serveAll(), "{\"loadBalancingConfig\": [{\"round_robin\": {}}]}");
    Map<String, Integer> counts = new TreeMap<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (counts.size() < IPS.length && System.nanoTime() < deadline) {
      counts.merge(who(channel), 1, Integer::sum); // until every subchannel is READY
    }
    counts.clear();
    for (int i = 0; i < 400; i++) {
      counts.merge(who(channel), 1, Integer::sum);
    }
    assertEquals(Set.of(IPS), counts.keySet(), counts::toString);
    for (int count : counts.values()) {
      assertTrue(count >= 90 && count <= 110, "within 10% of 100 each: " + counts);
    }
  }

  @Test
  void shuffleAddressListSpreadsPickFirstChannelsOverTheServers() throws Exception {
    String target = serveAll();
    Set<String> unshuffled = new TreeSet<>();
    Set<String> shuffled = new TreeSet<>();
    for (int i = 0; i < 16; i++) {
      unshuffled.add(who(channel(target, "{\"loadBalancingConfig\": [{\"pick_first\": {}}]}")));
      shuffled.add(
          who(
              channel(
                  target,
                  "{\"loadBalancingConfig\": [{\"pick_first\": {\"shuffleAddressList\": true}}]}")));
    }
    assertEquals(Set.of(IPS[0]), unshuffled, "without shuffling every channel takes the first");
    // All 16 shuffled channels on one server by chance: 4 x (1/4)^16, about 1e-9.
    assertTrue(shuffled.size() >= 2, "shuffled channels all took " + shuffled);
  }

  @Test
  void aConfigNamingOnlyPoliciesTheChannelLacksFailsBuild() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Channel.to("127.0.0.1:1")
                    .plaintext()
                    .defaultServiceConfig(
                        "{\"loadBalancingConfig\": [{\"weighted_round_robin\": {}}]}")
                    .build());
    assertTrue(
        e.getMessage().contains("weighted_round_robin") && e.getMessage().contains("round_robin"),
        e.getMessage());
  }
}
