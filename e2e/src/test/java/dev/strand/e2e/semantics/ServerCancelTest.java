package dev.strand.e2e.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.Status;
import dev.strand.StatusException;
import dev.strand.client.CallOptions;
import dev.strand.client.ManagedChannel;
import dev.strand.server.ServiceDefinition;
import dev.strand.stub.ClientCalls;
import dev.strand.stub.ServerCalls;
import io.grpc.ServerServiceDefinition;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The other ways a call is cut short: the server gives up (CANCELLED reaches the client, both
 * ways), the client's connection drops (every call in flight on the server is cancelled and its
 * handler released), and a cancelled call gives its stream back at once (the next call on a
 * one-stream connection goes through immediately).
 */
@Timeout(30)
class ServerCancelTest {
  private static final int ROUNDS = 10;

  private final Peers peers = new Peers();
  private final Events events = new Events();

  @AfterEach
  void stop() throws Exception {
    peers.close();
  }

  @Test
  void strandHandlerGivingUpEndsTheGrpcJavaCallCancelled() throws Exception {
    ServiceDefinition service =
        ServiceDefinition.builder(Probe.SERVICE)
            .method(
                Probe.UNARY,
                ServerCalls.unary(
                    req -> {
                      throw Status.CANCELLED.withDescription("handler gave up").asException();
                    }))
            .build();
    var channel = peers.grpcChannelTo(peers.start(Peers.strandServer().service(service)).port());
    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                io.grpc.stub.ClientCalls.blockingUnaryCall(
                    channel, Probe.G_UNARY, io.grpc.CallOptions.DEFAULT, Probe.text("x")));
    assertEquals(io.grpc.Status.Code.CANCELLED, e.getStatus().getCode());
    assertEquals("handler gave up", e.getStatus().getDescription());
  }

  @Test
  void grpcJavaHandlerGivingUpEndsTheStrandCallCancelled() throws Exception {
    ServerServiceDefinition service =
        ServerServiceDefinition.builder(Probe.SERVICE)
            .addMethod(
                Probe.G_UNARY,
                io.grpc.stub.ServerCalls.asyncUnaryCall(
                    (req, responses) ->
                        responses.onError(
                            io.grpc.Status.CANCELLED
                                .withDescription("handler gave up")
                                .asRuntimeException())))
            .build();
    ManagedChannel channel = peers.strandChannelTo(peers.grpcServerWith(service).getPort());
    StatusException e =
        assertThrows(
            StatusException.class,
            () ->
                ClientCalls.blockingUnary(
                    channel, Probe.UNARY, CallOptions.DEFAULT, Probe.text("x")));
    assertEquals(Status.Code.CANCELLED, e.code());
    assertEquals("handler gave up", e.status().description());
  }

  @Test
  void aDroppedGrpcJavaConnectionCancelsEveryStrandCallInFlight() throws Exception {
    WireTap tap =
        peers.add(
            WireTap.to(peers.start(Peers.strandServer().service(Blockers.strand(events))).port()));
    var channel = peers.grpcChannelTo(tap.port());
    List<ServerDeadlineTest.RawListener> listeners = new ArrayList<>();
    List<io.grpc.ClientCall<byte[], byte[]>> calls = new ArrayList<>();
    for (var method :
        List.of(Probe.G_UNARY, Probe.G_SERVER_STREAM, Probe.G_CLIENT_STREAM, Probe.G_BIDI)) {
      var call = channel.newCall(method, io.grpc.CallOptions.DEFAULT);
      ServerDeadlineTest.RawListener listener = new ServerDeadlineTest.RawListener();
      listeners.add(listener);
      calls.add(call);
      call.start(listener, new io.grpc.Metadata());
      if (method == Probe.G_UNARY || method == Probe.G_SERVER_STREAM) {
        call.sendMessage(Probe.text("x"));
        call.halfClose();
      }
    }
    for (String started : new String[] {"unary", "send", "next", "listener"}) {
      events.await(started + ":started", 5000);
    }
    events.awaitBlockedIn("send", "send", 5000); // the server stream's sends filled the window
    events.awaitBlockedIn("next", "next", 5000);

    tap.cutConnections();
    events.await("unary:cancelled", 5000);
    events.await("send:threw:CANCELLED", 5000);
    events.await("next:threw:CANCELLED", 5000);
    events.await("listener:cancelled", 5000);
    // grpc-java hands over what it had buffered before it reports the end: read it all.
    calls.forEach(c -> c.request(Integer.MAX_VALUE));
    for (ServerDeadlineTest.RawListener l : listeners) {
      assertEquals(io.grpc.Status.Code.UNAVAILABLE, l.status.get(5, TimeUnit.SECONDS).getCode());
    }
  }

  @Test
  void aDroppedStrandConnectionFailsItsCallsAndCancelsTheirHandlers() throws Exception {
    // Against grpc-java, then against Strand: the client must not wait for an answer that
    // cannot come, and the server must not keep serving a client that is gone.
    for (boolean strandServer : new boolean[] {false, true}) {
      Events seen = strandServer ? events : new Events();
      int port =
          strandServer
              ? peers.start(Peers.strandServer().service(Blockers.strand(seen))).port()
              : peers.grpcServerWith(Blockers.grpc(seen)).getPort();
      WireTap tap = peers.add(WireTap.to(port));
      ManagedChannel channel = peers.strandChannelTo(tap.port());
      CompletableFuture<byte[]> call =
          ClientCalls.futureUnary(channel, Probe.UNARY, CallOptions.DEFAULT, Probe.text("x"));
      seen.await(strandServer ? "unary:started" : "grpc:started", 5000);

      tap.cutConnections();
      ExecutionException e =
          assertThrows(ExecutionException.class, () -> call.get(5, TimeUnit.SECONDS));
      assertEquals(Status.Code.UNAVAILABLE, ((StatusException) e.getCause()).code());
      seen.await(strandServer ? "unary:cancelled" : "grpc:cancelled", 5000);
    }
  }

  /** Connects first, so the timing below is the cancelled stream's, not a cold connection's. */
  private static void warm(io.grpc.Channel channel) {
    io.grpc.stub.ClientCalls.blockingUnaryCall(
        channel,
        Probe.G_UNARY,
        io.grpc.CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
        Probe.text("echo"));
  }

  @Test
  void aCancelledCallGivesItsStreamBackToAStrandServerAtOnce() throws Exception {
    // One stream per connection: the next call can only start once the cancelled one is gone.
    int port =
        peers
            .start(Peers.strandServer().maxConcurrentStreams(1).service(Blockers.strand(events)))
            .port();
    var channel = peers.grpcChannelTo(port);
    warm(channel);
    for (int i = 0; i < ROUNDS; i++) {
      var blocked = channel.newCall(Probe.G_SERVER_STREAM, io.grpc.CallOptions.DEFAULT);
      blocked.start(new io.grpc.ClientCall.Listener<>() {}, new io.grpc.Metadata());
      blocked.sendMessage(Probe.text("x"));
      blocked.halfClose();
      events.awaitCount("send:started", i + 1, 5000);

      blocked.cancel("gave up", null);
      // The handler's thread is free at once. (Waiting for it also keeps the next call clear of
      // a grpc-java client quirk: DATA of a stream it had queued is held until its next flush.)
      events.awaitCount("send:threw:CANCELLED", i + 1, 2000);
      long start = System.nanoTime();
      byte[] echo =
          io.grpc.stub.ClientCalls.blockingUnaryCall(
              channel,
              Probe.G_UNARY,
              io.grpc.CallOptions.DEFAULT.withDeadlineAfter(3, TimeUnit.SECONDS),
              Probe.text("echo"));
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertEquals("echo", Probe.text(echo));
      assertTrue(ms < 2000, "the next call waited " + ms + " ms for the cancelled one's stream");
    }
  }

  /**
   * The same from a Strand client, many times: the queued call must go out as soon as the cancelled
   * one's RST_STREAM frees the server's only stream slot, not when something else happens to flush
   * the connection.
   */
  @Test
  void aCancelledStrandCallGivesItsStreamBackAtOnce() throws Exception {
    int port =
        peers
            .start(
                Peers.grpcServer()
                    .maxConcurrentCallsPerConnection(1)
                    .addService(Blockers.grpc(events)))
            .getPort();
    ManagedChannel channel = peers.strandChannelTo(port);
    ClientCalls.blockingUnary(
        channel,
        Probe.UNARY,
        CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(10)),
        Probe.text("echo"));
    for (int i = 0; i < ROUNDS; i++) {
      CompletableFuture<byte[]> blocked =
          ClientCalls.futureUnary(channel, Probe.UNARY, CallOptions.DEFAULT, Probe.text("x"));
      events.awaitCount("grpc:started", i + 1, 5000);
      blocked.cancel(true);
      long start = System.nanoTime();
      try {
        ClientCalls.blockingUnary(
            channel,
            Probe.UNARY,
            CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(3)),
            Probe.text("echo"));
      } catch (StatusException e) {
        throw new AssertionError(
            "round "
                + i
                + ": the call queued behind a cancelled one "
                + "never went out: "
                + e.status(),
            e);
      }
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(ms < 2000, "the next call waited " + ms + " ms for the cancelled one's stream");
    }
    events.awaitCount("grpc:cancelled", ROUNDS, 5000);
  }
}
