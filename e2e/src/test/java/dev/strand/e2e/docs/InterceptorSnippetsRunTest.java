package dev.strand.e2e.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.strand.Status;
import dev.strand.StatusException;
import dev.strand.client.CallOptions;
import dev.strand.client.Channel;
import dev.strand.client.ManagedChannel;
import dev.strand.server.Server;
import dev.strand.server.ServiceDefinition;
import dev.strand.stub.ClientCalls;
import dev.strand.stub.ServerCalls;
import dev.strand.stub.ServerContext;
import dev.strand.testing.Await;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs the snippets of docs/INTERCEPTORS.md against a real server. */
@Timeout(30)
class InterceptorSnippetsRunTest {
  /** Answers with the tenant the call arrived with. */
  private static ServiceDefinition greeter() {
    return ServiceDefinition.builder(Greeter.SERVICE)
        .method(
            Greeter.SAY_HELLO,
            ServerCalls.unary(
                name ->
                    "Hello "
                        + name
                        + " of "
                        + ServerContext.current().requestHeaders().get("x-tenant")))
        .build();
  }

  private static String call(Channel channel) {
    return ClientCalls.blockingUnary(
        channel, Greeter.SAY_HELLO, CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(5)), "Ada");
  }

  private static Map<String, Long> sums(InterceptorSnippets.StatusCounter counter) {
    return counter.counts.entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().sum()));
  }

  @Test
  void tenantCheckStatusCounterAndTenantHeader() throws Exception {
    InterceptorSnippets.StatusCounter counter = new InterceptorSnippets.StatusCounter();
    InterceptorSnippets.TenantHeader acme = new InterceptorSnippets.TenantHeader("acme");
    InterceptorSnippets.TenantHeader evil = new InterceptorSnippets.TenantHeader("evil");
    try (Server server = InterceptorSnippets.server(greeter(), counter);
        ManagedChannel good =
            Channel.to("127.0.0.1", server.port()).plaintext().interceptor(acme).build();
        ManagedChannel bad =
            Channel.to("127.0.0.1", server.port()).plaintext().interceptor(evil).build()) {
      assertEquals("Hello Ada of acme", call(good));
      assertEquals(Status.Code.OK, acme.lastStatus.code());
      StatusException e = assertThrows(StatusException.class, () -> call(bad));
      assertEquals(Status.Code.PERMISSION_DENIED, e.code());
      assertEquals("unknown tenant", e.status().description());
      assertEquals(Status.Code.PERMISSION_DENIED, evil.lastStatus.code());
      // The server's close() may trail the client's answer by a moment: wait for the counts.
      Map<String, Long> expected =
          Map.of("docs.Greeter/SayHello OK", 1L, "docs.Greeter/SayHello PERMISSION_DENIED", 1L);
      Await.until(
          Duration.ofSeconds(5),
          () -> expected.equals(sums(counter)),
          () -> "status counts: " + counter.counts);
    }
  }

  @Test
  void clientInterceptorOrder() throws Exception {
    try (Server server = Server.builder().address("127.0.0.1", 0).service(greeter()).start()) {
      InterceptorSnippets.TenantHeader acme = new InterceptorSnippets.TenantHeader("acme");
      InterceptorSnippets.Clients clients = InterceptorSnippets.client(server.port(), acme);
      try (ManagedChannel channel = clients.channel()) {
        assertEquals("Hello Ada of acme", call(channel));
        // The call-site interceptor ran first; the channel's, nearer the wire, put its tenant last.
        assertEquals("Hello Ada of acme", call(clients.audited()));
      }
    }
  }

  @Test
  void bearerTokens() throws Exception {
    try (Server server = InterceptorSnippets.bearerServer(greeter());
        ManagedChannel withToken = InterceptorSnippets.bearerClient(server.port());
        ManagedChannel without = Channel.to("127.0.0.1", server.port()).plaintext().build()) {
      assertEquals("Hello Ada of null", call(withToken));
      StatusException e = assertThrows(StatusException.class, () -> call(without));
      assertEquals(Status.Code.UNAUTHENTICATED, e.code());
    }
  }
}
