package dev.strand.e2e.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.ConnectivityState;
import dev.strand.Status;
import dev.strand.StatusException;
import dev.strand.client.Backoff;
import dev.strand.client.CallOptions;
import dev.strand.client.Channel;
import dev.strand.client.ChannelBuilder;
import dev.strand.client.ManagedChannel;
import dev.strand.server.ServiceDefinition;
import dev.strand.stub.ClientCalls;
import dev.strand.stub.ServerCalls;
import dev.strand.stub.ServerContext;
import dev.strand.stub.StreamSink;
import dev.strand.stub.StreamSource;
import io.grpc.ServerServiceDefinition;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A channel's default service config (service_config.md) applied to real calls: the method config's
 * timeout, waitForReady and message limits, against Strand and grpc-java servers; and a bad config
 * refused by build().
 */
@Timeout(60)
class ServiceConfigTest {
  private final Peers peers = new Peers();

  @AfterEach
  void stop() throws Exception {
    peers.close();
  }

  /** A method config for Probe's unary method alone. */
  private static String forUnary(String members) {
    return "{\"methodConfig\": [{\"name\": [{\"service\": \""
        + Probe.SERVICE
        + "\", \"method\": \"Unary\"}], "
        + members
        + "}]}";
  }

  /** Connects before the test's calls, so a cold first connection is not what a deadline times. */
  private static ManagedChannel connected(ManagedChannel channel) throws InterruptedException {
    long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (channel.state(true) != ConnectivityState.READY && System.nanoTime() < giveUp) {
      Thread.sleep(10);
    }
    assertEquals(ConnectivityState.READY, channel.state(false));
    return channel;
  }

  /**
   * A Strand server whose unary handler waits to be cancelled (10 s at most), counting those that
   * were, and whose server-streaming handler answers after the number of ms it is asked.
   */
  private int slowStrandServer(CountDownLatch cancelled) throws Exception {
    ServiceDefinition slow =
        ServiceDefinition.builder(Probe.SERVICE)
            .method(
                Probe.UNARY,
                ServerCalls.unary(
                    req -> {
                      CountDownLatch done = new CountDownLatch(1);
                      ServerContext.current().onCancel(done::countDown);
                      if (done.await(10, TimeUnit.SECONDS)) {
                        cancelled.countDown();
                      }
                      return req;
                    }))
            .method(
                Probe.SERVER_STREAM,
                ServerCalls.serverStreaming(
                    (byte[] req, StreamSink<byte[]> out) -> {
                      Thread.sleep(Probe.asked(req));
                      out.send(req);
                    }))
            .build();
    return peers.start(Peers.strandServer().service(slow)).port();
  }

  private static StatusException expectDeadline(
      ManagedChannel channel, CallOptions options, long minMs) {
    long start = System.nanoTime();
    StatusException e =
        assertThrows(
            StatusException.class,
            () -> ClientCalls.blockingUnary(channel, Probe.UNARY, options, Probe.text("slow")));
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertEquals(Status.Code.DEADLINE_EXCEEDED, e.code(), e.toString());
    assertTrue(tookMs >= minMs - 50 && tookMs < 3000, "fired after " + tookMs + " ms");
    return e;
  }

  @Test
  void theConfigsTimeoutEndsASlowCall() throws Exception {
    CountDownLatch cancelled = new CountDownLatch(3);
    int port = slowStrandServer(cancelled);
    ManagedChannel channel =
        connected(
            peers.start(
                Peers.strandChannel(port).defaultServiceConfig(forUnary("\"timeout\": \"0.3s\""))));

    // A call that sets no deadline gets the config's; the server gets it as grpc-timeout.
    StatusException e = expectDeadline(channel, CallOptions.DEFAULT, 300);
    assertTrue(
        e.status().description().startsWith("deadline of 300 ms exceeded"), e.status().toString());
    // A call's own longer deadline is cut to the config's; a shorter one is kept.
    expectDeadline(channel, CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(20)), 300);
    StatusException shorter =
        expectDeadline(channel, CallOptions.DEFAULT.withTimeout(Duration.ofMillis(100)), 100);
    assertTrue(shorter.status().description().startsWith("deadline of 100 ms"), shorter::toString);
    assertTrue(cancelled.await(5, TimeUnit.SECONDS), "the server's handlers were not cancelled");

    // Another method of the service is not named by the config: 600 ms is fine there.
    try (StreamSource<byte[]> replies =
        ClientCalls.serverStream(
            channel,
            Probe.SERVER_STREAM,
            CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(10)),
            Probe.ask(600))) {
      assertEquals(600, Probe.asked(replies.iterator().next()));
    }
  }

  @Test
  void theConfigsTimeoutReachesAGrpcJavaServer() throws Exception {
    CountDownLatch cancelled = new CountDownLatch(1);
    ServerServiceDefinition silent =
        ServerServiceDefinition.builder(Probe.SERVICE)
            .addMethod(
                Probe.G_UNARY,
                io.grpc.stub.ServerCalls.asyncUnaryCall(
                    (req, responses) ->
                        io.grpc.Context.current()
                            .addListener(c -> cancelled.countDown(), Runnable::run)))
            .build();
    int port = peers.grpcServerWith(silent).getPort();
    ManagedChannel channel =
        connected(
            peers.start(
                Peers.strandChannel(port).defaultServiceConfig(forUnary("\"timeout\": \"0.3s\""))));
    expectDeadline(channel, CallOptions.DEFAULT, 300);
    // grpc-java's handler learns of the deadline from grpc-timeout (or the reset that follows).
    assertTrue(cancelled.await(5, TimeUnit.SECONDS), "grpc-java's handler was not cancelled");
  }

  private static int deadPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void waitForReadyFromTheConfigWaitsForAServerThatStartsLater() throws Exception {
    int port = deadPort();
    ChannelBuilder builder =
        Peers.strandChannel(port)
            .backoff(
                new Backoff(
                    Duration.ofMillis(100),
                    1.6,
                    0.2,
                    Duration.ofMillis(500),
                    Duration.ofSeconds(20)))
            .defaultServiceConfig(
                "{\"methodConfig\": [{\"name\": [{}], \"waitForReady\": true, \"timeout\": \"20s\"}]}");
    ManagedChannel channel = peers.start(builder);

    CompletableFuture<byte[]> waiting =
        ClientCalls.futureUnary(channel, Probe.UNARY, CallOptions.DEFAULT, Probe.text("patient"));
    // A call that chose fail-fast itself still fails at once.
    long start = System.nanoTime();
    StatusException failFast =
        assertThrows(
            StatusException.class,
            () ->
                ClientCalls.blockingUnary(
                    channel,
                    Probe.UNARY,
                    CallOptions.DEFAULT.withoutWaitForReady(),
                    Probe.text("hasty")));
    assertEquals(Status.Code.UNAVAILABLE, failFast.code(), failFast.toString());
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "fail-fast waited");
    Thread.sleep(300);
    assertFalse(waiting.isDone(), "the call did not wait for ready: " + waiting);

    ServiceDefinition echo =
        ServiceDefinition.builder(Probe.SERVICE)
            .method(Probe.UNARY, ServerCalls.unary(req -> req))
            .build();
    peers.start(Peers.strandServer().address(Peers.HOST, port).service(echo));
    assertEquals("patient", Probe.text(waiting.get(10, TimeUnit.SECONDS)));
  }

  private static String tooBig(String what, int size, int limit) {
    return what + " of " + size + " bytes is larger than the limit of " + limit + " bytes";
  }

  /** A grpc-java server that answers with as many bytes as asked, counting the requests. */
  private int grpcJavaFiller(AtomicInteger requests) {
    ServerServiceDefinition service =
        ServerServiceDefinition.builder(Probe.SERVICE)
            .addMethod(
                Probe.G_UNARY,
                io.grpc.stub.ServerCalls.asyncUnaryCall(
                    (req, responses) -> {
                      requests.incrementAndGet();
                      responses.onNext(new byte[req.length > 16 ? 1 : Probe.asked(req)]);
                      responses.onCompleted();
                    }))
            .build();
    return peers.grpcServerWith(service).getPort();
  }

  /** The same on Strand. */
  private int strandFiller(AtomicInteger requests) throws Exception {
    ServiceDefinition service =
        ServiceDefinition.builder(Probe.SERVICE)
            .method(
                Probe.UNARY,
                ServerCalls.unary(
                    req -> {
                      requests.incrementAndGet();
                      return new byte[req.length > 16 ? 1 : Probe.asked(req)];
                    }))
            .build();
    return peers.start(Peers.strandServer().service(service)).port();
  }

  private static byte[] call(ManagedChannel channel, CallOptions options, byte[] request) {
    return ClientCalls.blockingUnary(
        channel, Probe.UNARY, options.withTimeout(Duration.ofSeconds(20)), request);
  }

  private static StatusException exhausted(
      ManagedChannel channel, CallOptions options, byte[] request) {
    StatusException e = assertThrows(StatusException.class, () -> call(channel, options, request));
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.code(), e::toString);
    return e;
  }

  @Test
  void aRequestOverTheConfigsLimitFailsBeforeItIsSent() throws Exception {
    AtomicInteger strandRequests = new AtomicInteger();
    AtomicInteger grpcRequests = new AtomicInteger();
    String config = forUnary("\"maxRequestMessageBytes\": 1024");
    for (int port : new int[] {strandFiller(strandRequests), grpcJavaFiller(grpcRequests)}) {
      ManagedChannel channel = peers.start(Peers.strandChannel(port).defaultServiceConfig(config));
      assertEquals(1, call(channel, CallOptions.DEFAULT, new byte[1024]).length);
      StatusException e = exhausted(channel, CallOptions.DEFAULT, new byte[1025]);
      assertEquals(tooBig("request message", 1025, 1024), e.status().description());
      // A call's own larger limit does not loosen the config's; a smaller one applies.
      exhausted(channel, CallOptions.DEFAULT.withMaxOutboundMessageSize(1 << 20), new byte[1025]);
      StatusException smaller =
          exhausted(channel, CallOptions.DEFAULT.withMaxOutboundMessageSize(100), new byte[101]);
      assertEquals(tooBig("request message", 101, 100), smaller.status().description());
      assertEquals(1, call(channel, CallOptions.DEFAULT, new byte[1024]).length);
      // The limit is on the message as sent: after per-message compression.
      assertEquals(
          1, call(channel, CallOptions.DEFAULT.withCompression("gzip"), new byte[4096]).length);
    }
    // The servers saw only the requests within the limit.
    assertEquals(3, strandRequests.get());
    assertEquals(3, grpcRequests.get());
  }

  @Test
  void aResponseOverTheConfigsLimitFails() throws Exception {
    String config = forUnary("\"maxResponseMessageBytes\": 1024");
    AtomicInteger requests = new AtomicInteger();
    for (int port : new int[] {strandFiller(requests), grpcJavaFiller(requests)}) {
      ManagedChannel channel = peers.start(Peers.strandChannel(port).defaultServiceConfig(config));
      assertEquals(1024, call(channel, CallOptions.DEFAULT, Probe.ask(1024)).length);
      StatusException e = exhausted(channel, CallOptions.DEFAULT, Probe.ask(1025));
      assertEquals(tooBig("message", 1025, 1024), e.status().description());
      // The call's own larger limit does not loosen it.
      exhausted(channel, CallOptions.DEFAULT.withMaxInboundMessageSize(1 << 20), Probe.ask(2048));
      assertEquals(10, call(channel, CallOptions.DEFAULT, Probe.ask(10)).length);

      // A channel limit smaller than the config's stays.
      ManagedChannel strict =
          peers.start(
              Peers.strandChannel(port).maxInboundMessageSize(512).defaultServiceConfig(config));
      StatusException e512 = exhausted(strict, CallOptions.DEFAULT, Probe.ask(513));
      assertEquals(tooBig("message", 513, 512), e512.status().description());
    }
  }

  @Test
  void aBadConfigFailsBuildNamingTheField() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Channel.to(Peers.HOST, 1)
                    .plaintext()
                    .defaultServiceConfig(
                        "{\"methodConfig\": [{\"name\": [{}], \"timeout\": \"300ms\"}]}")
                    .build());
    assertEquals(
        "invalid service config: methodConfig[0].timeout: must be a duration: seconds with up to 9"
            + " decimals and an 's', such as \"1.5s\", was \"300ms\"",
        e.getMessage());

    IllegalArgumentException retry =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Channel.to(Peers.HOST, 1)
                    .defaultServiceConfig(forUnary("\"retryPolicy\": {\"maxAttempts\": 1}"))
                    .build());
    assertTrue(
        retry.getMessage().contains("methodConfig[0].retryPolicy.maxAttempts: must be at least 2"),
        retry.getMessage());

    IllegalArgumentException notJson =
        assertThrows(
            IllegalArgumentException.class,
            () -> Channel.to(Peers.HOST, 1).defaultServiceConfig("{methodConfig: []}").build());
    assertEquals(
        "invalid service config: not JSON: line 1, column 2: unexpected 'm', expected a member"
            + " name in double quotes",
        notJson.getMessage());
  }
}
