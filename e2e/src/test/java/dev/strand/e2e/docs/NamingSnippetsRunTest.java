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
}
