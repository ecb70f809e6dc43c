package dev.strand;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.client.CallOptions;
import dev.strand.client.Channel;
import dev.strand.client.ManagedChannel;
import dev.strand.server.Server;
import dev.strand.stub.BidiStreamCall;
import dev.strand.stub.ClientCalls;
import dev.strand.stub.ClientStreamCall;
import dev.strand.stub.StreamSource;
import dev.strand.testing.EchoService;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class StrandToStrandTest {
  static Server server;
  static ManagedChannel channel;

  @BeforeAll
  static void start() throws Exception {
    server = Server.builder().address("127.0.0.1", 0).service(EchoService.definition()).start();
    channel = Channel.to("127.0.0.1", server.port()).plaintext().build();
  }

  @AfterAll
  static void stop() {
    channel.close();
    server.close();
  }

  @Test
  void unary() {
    assertEquals(
        "echo:hi",
        ClientCalls.blockingUnary(channel, EchoService.UNARY, CallOptions.DEFAULT, "hi"));
  }

  @Test
  void unaryFuture() throws Exception {
    CompletableFuture<String> f =
        ClientCalls.futureUnary(channel, EchoService.UNARY, CallOptions.DEFAULT, "a");
    assertEquals("echo:a", f.get(5, TimeUnit.SECONDS));
  }

  @Test
  void serverStreaming() {
    List<String> got = new ArrayList<>();
    try (StreamSource<String> s =
        ClientCalls.serverStream(channel, EchoService.SERVER_STREAM, CallOptions.DEFAULT, "5:x")) {
      for (String m : s) {
        got.add(m);
      }
    }
    assertEquals(List.of("x-0", "x-1", "x-2", "x-3", "x-4"), got);
  }

  @Test
  void clientStreaming() {
    ClientStreamCall<String, String> call =
        ClientCalls.clientStream(channel, EchoService.CLIENT_STREAM, CallOptions.DEFAULT);
    call.send("a");
    call.send("b");
    call.send("c");
    assertEquals("a,b,c", call.finish());
  }

  @Test
  void bidi() {
    BidiStreamCall<String, String> call =
        ClientCalls.bidiStream(channel, EchoService.BIDI, CallOptions.DEFAULT);
    call.send("1");
    assertEquals("echo:1", call.next());
    call.send("2");
    assertEquals("echo:2", call.next());
    call.halfClose();
    assertNull(call.next());
  }

  @Test
  void statusAndTrailersFromHandler() {
    StatusException e =
        assertThrows(
            StatusException.class,
            () ->
                ClientCalls.blockingUnary(
                    channel, EchoService.UNARY, CallOptions.DEFAULT, "fail:9:nope \u00e9%"));
    assertEquals(Status.Code.FAILED_PRECONDITION, e.code());
    assertEquals("nope \u00e9%", e.status().description());
    assertEquals("yes", e.trailers().get("x-failure"));
  }

  @Test
  void exceptionBecomesUnknownWithoutLeakingItsMessage() {
    StatusException e =
        assertThrows(
            StatusException.class,
            () ->
                ClientCalls.blockingUnary(channel, EchoService.UNARY, CallOptions.DEFAULT, "boom"));
    assertEquals(Status.Code.UNKNOWN, e.code());
    assertTrue(e.status().description() == null || !e.status().description().contains("secret"));
  }

  @Test
  void manyConcurrentCallsShareOneConnection() throws Exception {
    List<CompletableFuture<String>> futures = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      futures.add(
          ClientCalls.futureUnary(channel, EchoService.UNARY, CallOptions.DEFAULT, "m" + i));
    }
    for (int i = 0; i < 200; i++) {
      assertEquals("echo:m" + i, futures.get(i).get(10, TimeUnit.SECONDS));
    }
  }
}
