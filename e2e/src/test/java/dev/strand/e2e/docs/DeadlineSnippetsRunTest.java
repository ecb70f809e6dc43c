package dev.strand.e2e.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.Status;
import dev.strand.StatusException;
import dev.strand.client.CallOptions;
import dev.strand.client.Channel;
import dev.strand.client.ManagedChannel;
import dev.strand.server.Server;
import dev.strand.server.ServiceDefinition;
import dev.strand.stub.ClientCalls;
import dev.strand.stub.ServerCalls;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs the snippets of docs/DEADLINES.md and docs/ERRORS.md against a real server. */
@Timeout(30)
class DeadlineSnippetsRunTest {
  private final DeadlineSnippets deadlines = new DeadlineSnippets();
  private final ErrorSnippets errors = new ErrorSnippets();
  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    ServiceDefinition greeter =
        ServiceDefinition.builder(Greeter.SERVICE)
            .method(Greeter.SAY_HELLO, ServerCalls.unary(deadlines::sayHello))
            .method(Greeter.LOTS_OF_REPLIES, ServerCalls.serverStreaming(deadlines::lotsOfReplies))
            .method(Greeter.SAY_GOODBYE, ServerCalls.unary(errors::sayGoodbye))
            .method(Greeter.SAY_AGAIN, ServerCalls.unary(errors::sayAgain))
            .build();
    server = Server.builder().address("127.0.0.1", 0).service(greeter).start();
    channel = Channel.to("127.0.0.1", server.port()).plaintext().build();
    deadlines.backend = channel;
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(Duration.ofSeconds(5));
    server.shutdownNow().awaitTermination(Duration.ofSeconds(5));
  }

  private static CallOptions seconds(int n) {
    return CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(n));
  }

  @Test
  void perCallAndChannelDeadlines() throws Exception {
    assertEquals("Hello Ada", DeadlineSnippets.perCall(channel));
    try (ManagedChannel withDefault = DeadlineSnippets.channelWithDefault(server.port())) {
      assertEquals(
          "Hello Ada",
          ClientCalls.blockingUnary(withDefault, Greeter.SAY_HELLO, CallOptions.DEFAULT, "Ada"));
    }
    assertEquals("Hello Ada", DeadlineSnippets.catchDeadline(channel));
  }

  @Test
  void aSlowHandlerStopsWhenTheDeadlinePasses() throws Exception {
    StatusException e =
        assertThrows(
            StatusException.class,
            () ->
                ClientCalls.blockingUnary(
                    channel,
                    Greeter.SAY_HELLO,
                    CallOptions.DEFAULT.withTimeout(Duration.ofMillis(300)),
                    "slow Ada"));
    assertEquals(Status.Code.DEADLINE_EXCEEDED, e.code());
    Thread.sleep(500);
    int steps = deadlines.stepsDone.get();
    Thread.sleep(300);
    assertEquals(steps, deadlines.stepsDone.get(), "the handler kept working");
    assertTrue(steps < DeadlineSnippets.plan("slow Ada").size(), "steps done: " + steps);
  }

  @Test
  void tooLittleTimeLeftIsRefusedUpFront() {
    StatusException e =
        assertThrows(
            StatusException.class,
            () ->
                ClientCalls.blockingUnary(
                    channel,
                    Greeter.SAY_HELLO,
                    CallOptions.DEFAULT.withTimeout(Duration.ofMillis(20)),
                    "Ada"));
    assertEquals(Status.Code.DEADLINE_EXCEEDED, e.code());
  }

  @Test
  void aNestedCallWorks() throws Exception {
    ServiceDefinition relay =
        ServiceDefinition.builder(Greeter.SERVICE)
            .method(Greeter.SAY_HELLO, ServerCalls.unary(deadlines::relay))
            .build();
    try (Server front = Server.builder().address("127.0.0.1", 0).service(relay).start();
        ManagedChannel toFront = Channel.to("127.0.0.1", front.port()).plaintext().build()) {
      assertEquals(
          "Hello Ada", ClientCalls.blockingUnary(toFront, Greeter.SAY_HELLO, seconds(5), "Ada"));
      // The served call's 300 ms reaches the slow handler behind the relay.
      assertThrows(
          StatusException.class,
          () ->
              ClientCalls.blockingUnary(
                  toFront,
                  Greeter.SAY_HELLO,
                  CallOptions.DEFAULT.withTimeout(Duration.ofMillis(300)),
                  "slow Ada"));
      Thread.sleep(500);
      assertTrue(deadlines.stepsDone.get() < 10, "steps done: " + deadlines.stepsDone.get());
    }
  }

  @Test
  void cancellingStopsTheHandler() throws Exception {
    DeadlineSnippets.cancelFuture(channel);
    Thread.sleep(500);
    assertTrue(deadlines.stepsDone.get() < 10, "steps done: " + deadlines.stepsDone.get());

    assertEquals("Hello Ada #0", DeadlineSnippets.firstOnly(channel));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!deadlines.sawCancel && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertTrue(deadlines.sawCancel, "the streaming handler's send never threw CANCELLED");
  }

  // ---- ERRORS.md ----

  @Test
  void statusesAndTrailersReachTheCaller() throws Exception {
    ServiceDefinition greeter =
        ServiceDefinition.builder(Greeter.SERVICE)
            .method(Greeter.SAY_HELLO, ServerCalls.unary(errors::sayHello))
            .build();
    try (Server s = Server.builder().address("127.0.0.1", 0).service(greeter).start();
        ManagedChannel c = Channel.to("127.0.0.1", s.port()).plaintext().build()) {
      assertEquals("Hello Ada", ErrorSnippets.greetOrExplain(c, "Ada"));
      assertEquals("no greeting for Bob; try one of Ada", ErrorSnippets.greetOrExplain(c, "Bob"));
      StatusException e =
          assertThrows(
              StatusException.class,
              () -> ClientCalls.blockingUnary(c, Greeter.SAY_HELLO, seconds(5), "Bob"));
      assertEquals(
          "Bob",
          new String(
              e.trailers().getBinary("x-request-bin"), java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  @Test
  void plainExceptionsAndCausesDoNotLeak() {
    StatusException plain =
        assertThrows(
            StatusException.class,
            () -> ClientCalls.blockingUnary(channel, Greeter.SAY_GOODBYE, seconds(5), "Ada"));
    assertEquals(Status.Code.UNKNOWN, plain.code());
    assertEquals("application error", plain.status().description());
    StatusException caused =
        assertThrows(
            StatusException.class,
            () -> ClientCalls.blockingUnary(channel, Greeter.SAY_AGAIN, seconds(5), "Ada"));
    assertEquals(Status.Code.UNAVAILABLE, caused.code());
    assertEquals("greeting store unreachable, retry later", caused.status().description());
    for (StatusException e : new StatusException[] {plain, caused}) {
      assertFalse(e.toString().contains("hunter2"), e.toString());
      assertEquals(null, e.getCause(), "a server-side cause crossed the wire");
    }
  }
}
