package dev.strand;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.client.CallOptions;
import dev.strand.client.Channel;
import dev.strand.client.ManagedChannel;
import dev.strand.server.Server;
import dev.strand.server.ServiceDefinition;
import dev.strand.stub.ClientCalls;
import dev.strand.stub.ServerCalls;
import dev.strand.stub.ServerContext;
import dev.strand.testing.Utf8Marshaller;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DeadlineTest {
  static final MethodDescriptor<String, String> HANG = method("Hang");
  static final MethodDescriptor<String, String> REMAINING = method("Remaining");
  static final MethodDescriptor<String, String> RELAY = method("Relay");
  static final CountDownLatch hangCancelled = new CountDownLatch(1);
  static Server server;
  static ManagedChannel channel;

  static MethodDescriptor<String, String> method(String name) {
    return MethodDescriptor.of(
        MethodType.UNARY,
        "strand.test.Deadlines/" + name,
        Utf8Marshaller.INSTANCE,
        Utf8Marshaller.INSTANCE);
  }

  @BeforeAll
  static void start() throws Exception {
    ServiceDefinition service =
        ServiceDefinition.builder("strand.test.Deadlines")
            .method(
                HANG,
                ServerCalls.unary(
                    request -> {
                      CountDownLatch cancelled = new CountDownLatch(1);
                      ServerContext.current().onCancel(cancelled::countDown);
                      if (cancelled.await(10, TimeUnit.SECONDS)) {
                        hangCancelled.countDown();
                      }
                      return "never seen";
                    }))
            .method(
                REMAINING,
                ServerCalls.unary(
                    request ->
                        Long.toString(ServerContext.current().deadline().remaining().toMillis())))
            .method(
                RELAY,
                ServerCalls.unary(
                    request ->
                        // A nested call inherits the smaller deadline of the call being served.
                        ClientCalls.blockingUnary(
                            channel,
                            REMAINING,
                            CallOptions.DEFAULT.withTimeout(Duration.ofMinutes(5)),
                            request)))
            .build();
    server = Server.builder().address("127.0.0.1", 0).service(service).start();
    channel = Channel.to("127.0.0.1", server.port()).plaintext().build();
  }

  @AfterAll
  static void stop() {
    channel.close();
    server.close();
  }

  @Test
  void clientGetsDeadlineExceededOnTimeAndTheServerHandlerIsCancelled() throws Exception {
    long start = System.nanoTime();
    StatusException e =
        assertThrows(
            StatusException.class,
            () ->
                ClientCalls.blockingUnary(
                    channel, HANG, CallOptions.DEFAULT.withTimeout(Duration.ofMillis(300)), "x"));
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertEquals(Status.Code.DEADLINE_EXCEEDED, e.code());
    assertTrue(elapsedMs >= 280 && elapsedMs < 3000, "took " + elapsedMs + " ms");
    assertTrue(
        e.status().description().contains("waiting for the server"), e.status().description());
    assertTrue(hangCancelled.await(5, TimeUnit.SECONDS), "handler was not cancelled");
  }

  @Test
  void serverSeesTheDeadline() {
    long remaining =
        Long.parseLong(
            ClientCalls.blockingUnary(
                channel, REMAINING, CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(20)), "x"));
    assertTrue(remaining > 15_000 && remaining <= 20_000, "remaining " + remaining);
  }

  @Test
  void nestedCallsInheritTheSmallerDeadline() {
    long remaining =
        Long.parseLong(
            ClientCalls.blockingUnary(
                channel, RELAY, CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(10)), "x"));
    assertTrue(remaining > 5_000 && remaining <= 10_000, "remaining " + remaining);
  }

  @Test
  void deadlineWhileConnectingSaysSo() throws Exception {
    // A port that accepts TCP but never speaks HTTP/2 is hard to fake; an unroutable connect is
    // not allowed here. Use a bound socket that never accepts: the connect completes (backlog)
    // but TLS never finishes, so the call waits for its connection.
    try (java.net.ServerSocket silent =
            new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        ManagedChannel tls = Channel.to("127.0.0.1", silent.getLocalPort()).tls().build()) {
      AtomicLong took = new AtomicLong();
      long start = System.nanoTime();
      StatusException e =
          assertThrows(
              StatusException.class,
              () ->
                  ClientCalls.blockingUnary(
                      tls,
                      REMAINING,
                      CallOptions.DEFAULT.withTimeout(Duration.ofMillis(300)),
                      "x"));
      took.set(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
      assertEquals(Status.Code.DEADLINE_EXCEEDED, e.code());
      assertTrue(
          e.status().description().contains("waiting for a connection"), e.status().description());
      assertTrue(took.get() < 3000, "took " + took.get());
    }
  }
}
