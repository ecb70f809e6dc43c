package dev.strand.e2e.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.client.CallOptions;
import dev.strand.client.Channel;
import dev.strand.client.ManagedChannel;
import dev.strand.server.Server;
import dev.strand.stub.ClientCalls;
import dev.strand.testing.EchoService;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs the resolver of docs/NAMING.md against a real server. */
@Timeout(30)
class NamingSnippetsRunTest {

  @Test
  void aResolverFromTheBuilderFindsTheServer() throws Exception {
    try (Server server =
        Server.builder().address("127.0.0.4", 0).service(EchoService.definition()).start()) {
      // A dead address first: pick_first moves on to the live one.
      int dead;
      try (java.net.ServerSocket probe =
          new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.5"))) {
        dead = probe.getLocalPort();
      }
      Map<String, List<InetSocketAddress>> services =
          Map.of(
              "orders",
              List.of(
                  new InetSocketAddress("127.0.0.5", dead),
                  new InetSocketAddress("127.0.0.4", server.port())));
      ManagedChannel channel = NamingSnippets.ordersChannel(services);
      try {
        assertEquals("orders", channel.authority());
        assertEquals(
            "echo:hi",
            ClientCalls.blockingUnary(
                channel,
                EchoService.UNARY,
                CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(10)),
                "hi"));
      } finally {
        channel.shutdownNow();
        channel.awaitTermination(Duration.ofSeconds(5));
      }
    }
  }

  @Test
  void theProvidersOwnErrorFailsBuild() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Channel.to("fixed:///billing")
                    .nameResolver(new NamingSnippets.FixedResolverProvider(Map.of()))
                    .plaintext()
                    .build());
    assertTrue(e.getMessage().contains("no service named 'billing'"), e.getMessage());
  }

  /** The policy of docs/NAMING.md over three servers that answer with their own address. */
  @Test
  void aPolicyFromTheBuilderKeepsEachShardOnOneServer() throws Exception {
    List<Server> servers = new java.util.ArrayList<>();
    String[] ips = {"127.0.0.6", "127.0.0.7", "127.0.0.8"};
    servers.add(serveName(ips[0], 0));
    int port = servers.get(0).port();
    servers.add(serveName(ips[1], port));
    servers.add(serveName(ips[2], port));
    ManagedChannel channel =
        NamingSnippets.shardedChannel(
            "ipv4:"
                + String.join(
                    ",", java.util.Arrays.stream(ips).map(ip -> ip + ":" + port).toList()));
    try {
      // Until all three are READY a shard may move; wait (bounded) for every server to take one.
      java.util.Set<String> seen = new java.util.TreeSet<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (seen.size() < 3 && System.nanoTime() < deadline) {
        for (int shard = 0; shard < 30; shard++) {
          seen.add(callShard(channel, "shard-" + shard));
        }
      }
      assertEquals(java.util.Set.of(ips), seen, "the shards spread over every server");
      for (int shard = 0; shard < 30; shard++) {
        String first = callShard(channel, "shard-" + shard);
        for (int i = 0; i < 5; i++) {
          assertEquals(first, callShard(channel, "shard-" + shard), "shard-" + shard + " moved");
        }
      }
    } finally {
      channel.shutdownNow();
      channel.awaitTermination(Duration.ofSeconds(5));
      for (Server s : servers) {
        s.shutdownNow();
        s.awaitTermination(Duration.ofSeconds(5));
      }
    }
  }

  @Test
  void anUnknownPolicyFailsBuildNamingTheKnownOnes() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Channel.to("127.0.0.1:1").loadBalancingPolicy("least_loaded").plaintext().build());
    assertTrue(
        e.getMessage().contains("least_loaded")
            && e.getMessage().contains("pick_first")
            && e.getMessage().contains("round_robin"),
        e.getMessage());
  }

  private static final dev.strand.MethodDescriptor<String, String> WHO =
      dev.strand.MethodDescriptor.of(
          dev.strand.MethodType.UNARY,
          "strand.test.Who/Name",
          dev.strand.testing.Utf8Marshaller.INSTANCE,
          dev.strand.testing.Utf8Marshaller.INSTANCE);

  private static Server serveName(String ip, int port) throws java.io.IOException {
    return Server.builder()
        .address(ip, port)
        .service(
            dev.strand.server.ServiceDefinition.builder("strand.test.Who")
                .method(WHO, dev.strand.stub.ServerCalls.unary(request -> ip))
                .build())
        .start();
  }

  /** A call with an {@code x-shard} header, added the way an application would: an interceptor. */
  private static String callShard(ManagedChannel channel, String shard) throws Exception {
    dev.strand.client.ClientInterceptor withShard =
        new dev.strand.client.ClientInterceptor() {
          @Override
          public <ReqT, RespT> dev.strand.client.ClientCall<ReqT, RespT> interceptCall(
              dev.strand.MethodDescriptor<ReqT, RespT> method,
              CallOptions options,
              dev.strand.client.Channel next) {
            return new dev.strand.client.ForwardingClientCall<>(next.newCall(method, options)) {
              @Override
              public void start(Listener<RespT> listener, dev.strand.Metadata headers) {
                headers.put("x-shard", shard);
                super.start(listener, headers);
              }
            };
          }
        };
    return ClientCalls.blockingUnary(
        dev.strand.client.ClientInterceptors.intercept(channel, withShard),
        WHO,
        CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(10)),
        "who");
  }
}
