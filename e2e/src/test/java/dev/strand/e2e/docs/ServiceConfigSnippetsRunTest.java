package dev.strand.e2e.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.Status;
import dev.strand.StatusException;
import dev.strand.client.CallOptions;
import dev.strand.client.ManagedChannel;
import dev.strand.server.Server;
import dev.strand.server.ServiceDefinition;
import dev.strand.stub.ClientCalls;
import dev.strand.stub.ServerCalls;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs the snippets of docs/SERVICE_CONFIG.md against a real server. */
@Timeout(30)
class ServiceConfigSnippetsRunTest {
  private Server server;

  @BeforeEach
  void start() throws Exception {
    ServiceDefinition greeter =
        ServiceDefinition.builder(Greeter.SERVICE)
            .method(Greeter.SAY_HELLO, ServerCalls.unary(name -> "Hello " + name))
            .method(
                Greeter.SAY_GOODBYE,
                ServerCalls.unary(
                    name -> {
                      Thread.sleep(name.startsWith("slow") ? 2_000 : 0);
                      return "Goodbye " + name;
                    }))
            .build();
    server = Server.builder().address("127.0.0.1", 0).service(greeter).start();
  }

  @AfterEach
  void stop() throws Exception {
    server.shutdownNow().awaitTermination(Duration.ofSeconds(5));
  }

  @Test
  void theConfiguredChannelsCallsFollowTheirMethodConfig() throws Exception {
    try (ManagedChannel channel = ServiceConfigSnippets.channelWithConfig(server.port())) {
      assertEquals("Hello Ada", ServiceConfigSnippets.failFast(channel));
      assertEquals(
          "Goodbye Ada",
          ClientCalls.blockingUnary(channel, Greeter.SAY_GOODBYE, CallOptions.DEFAULT, "Ada"));
      // SayGoodbye's own entry: 0.5 s.
      StatusException slow =
          assertThrows(
              StatusException.class,
              () ->
                  ClientCalls.blockingUnary(
                      channel, Greeter.SAY_GOODBYE, CallOptions.DEFAULT, "slow Ada"));
      assertEquals(Status.Code.DEADLINE_EXCEEDED, slow.code(), slow::toString);
      assertTrue(slow.status().description().startsWith("deadline of 500 ms"), slow::toString);
      // The service's entry: 64 KiB requests at most.
      StatusException big =
          assertThrows(
              StatusException.class,
              () ->
                  ClientCalls.blockingUnary(
                      channel, Greeter.SAY_HELLO, CallOptions.DEFAULT, "x".repeat(70_000)));
      assertEquals(Status.Code.RESOURCE_EXHAUSTED, big.code(), big::toString);
    }
  }

  @Test
  void anInvalidConfigFailsBuild() {
    assertEquals(
        "invalid service config: methodConfig[0].retryPolicy.maxAttempts: must be at least 2 (the"
            + " first attempt and one more), was 1",
        ServiceConfigSnippets.badConfig(server.port()).getMessage());
  }
}
