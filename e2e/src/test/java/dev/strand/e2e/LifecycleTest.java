package dev.strand.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.StatusException;
import dev.strand.client.Backoff;
import dev.strand.client.CallOptions;
import dev.strand.client.ManagedChannel;
import dev.strand.server.Server;
import dev.strand.stub.ClientCalls;
import io.grpc.ConnectivityState;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallResponse;
import io.grpc.testing.integration.TestServiceGrpc;
import java.io.IOException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Servers and channels coming and going: graceful and forced shutdown of a Strand server under a
 * grpc-java client, and a Strand channel surviving its server's restart.
 */
@Timeout(60)
class LifecycleTest {
  /** Reconnect attempts 100 ms apart (and at most 1 s), so the tests need not wait long. */
  private static final Backoff QUICK_RECONNECT =
      new Backoff(Duration.ofMillis(100), 1.6, 0.2, Duration.ofSeconds(1), Duration.ofSeconds(5));

  private final StrandTestService service = new StrandTestService();
  private Server strandServer;
  private io.grpc.Server grpcServer;
  private io.grpc.ManagedChannel grpcChannel;
  private ManagedChannel strandChannel;

  @AfterEach
  void stop() throws Exception {
    Transport.close(grpcChannel);
    Transport.close(strandChannel);
    Transport.close(strandServer);
    Transport.close(grpcServer);
  }

  @Test
  void gracefulShutdownLetsInFlightCallFinish() throws Exception {
    strandServer = Transport.PLAINTEXT.strandServer().service(service.definition()).start();
    grpcChannel = Transport.PLAINTEXT.grpcJavaChannel(strandServer.port());
    GrpcResponses<StreamingOutputCallRequest, StreamingOutputCallResponse> responses =
        new GrpcResponses<>();
    StreamObserver<StreamingOutputCallRequest> requests = async().fullDuplexCall(responses);
    requests.onNext(Requests.streaming(10));
    assertEquals(10, responses.next().getPayload().getBody().size());

    strandServer.shutdown();
    assertTrue(strandServer.isShutdown());

    // New calls are refused, on the channel with a call in flight and on a new one. GOAWAY is
    // two-phase, so a call that races the first GOAWAY may still be accepted: wait until the
    // client has seen it (its channel leaves READY) before trying.
    awaitLeaves(grpcChannel, ConnectivityState.READY);
    assertUnavailable(() -> emptyCall(grpcChannel));
    io.grpc.ManagedChannel fresh = Transport.PLAINTEXT.grpcJavaChannel(strandServer.port());
    try {
      assertUnavailable(() -> emptyCall(fresh));
    } finally {
      Transport.close(fresh);
    }

    // The call in flight carries on to its normal end.
    requests.onNext(Requests.streaming(20));
    assertEquals(20, responses.next().getPayload().getBody().size());
    requests.onCompleted();
    assertEquals(Status.Code.OK, responses.awaitStatus().getCode());
    assertTrue(strandServer.awaitTermination(Duration.ofSeconds(5)), "server did not terminate");
    assertTrue(strandServer.isTerminated());
  }

  @Test
  void shutdownNowCancelsInFlightCall() throws Exception {
    strandServer = Transport.PLAINTEXT.strandServer().service(service.definition()).start();
    grpcChannel = Transport.PLAINTEXT.grpcJavaChannel(strandServer.port());
    String tag = UUID.randomUUID().toString();
    GrpcResponses<StreamingOutputCallRequest, StreamingOutputCallResponse> responses =
        new GrpcResponses<>();
    StreamObserver<StreamingOutputCallRequest> requests =
        GrpcJavaClientToStrandServerTest.Cases.tagged(async(), tag).fullDuplexCall(responses);
    requests.onNext(Requests.streaming(10));
    responses.next();

    strandServer.shutdownNow();

    Status status = responses.awaitStatus();
    assertEquals(Status.Code.UNAVAILABLE, status.getCode(), status.toString());
    service.events.await(tag, "cancelled", 5000);
    // The handler blocked reading requests is woken, not left behind.
    service.events.await(tag, "finished:CANCELLED", 5000);
    assertTrue(strandServer.awaitTermination(Duration.ofSeconds(5)), "server did not terminate");
  }

  @Test
  void strandChannelReconnectsAfterGrpcJavaServerRestart() throws Exception {
    grpcServer = Transport.PLAINTEXT.grpcJavaServer(0, new GrpcJavaTestService().definition());
    int port = grpcServer.getPort();
    strandChannel = Transport.PLAINTEXT.strandChannel(port).backoff(QUICK_RECONNECT).build();
    assertStrandCallWorks();

    Transport.close(grpcServer);
    assertStrandCallFails();

    grpcServer =
        restart(
            p -> Transport.PLAINTEXT.grpcJavaServer(p, new GrpcJavaTestService().definition()),
            port);
    assertStrandChannelRecovers();
  }

  @Test
  void strandChannelReconnectsAfterStrandServerRestart() throws Exception {
    strandServer = Transport.PLAINTEXT.strandServer().service(service.definition()).start();
    int port = strandServer.port();
    strandChannel = Transport.PLAINTEXT.strandChannel(port).backoff(QUICK_RECONNECT).build();
    assertStrandCallWorks();

    strandServer.close();
    assertTrue(strandServer.isTerminated());
    assertStrandCallFails();

    strandServer =
        restart(
            p -> {
              try {
                return Transport.PLAINTEXT.strandServer(p).service(service.definition()).start();
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            },
            port);
    assertStrandChannelRecovers();
  }

  @Test
  void strandChannelTerminatesAfterFailedConnect() throws Exception {
    int deadPort = freePort();
    strandChannel = Transport.PLAINTEXT.strandChannel(deadPort).backoff(QUICK_RECONNECT).build();
    assertStrandCallFails();
    strandChannel.shutdown();
    // Nothing is connected and nothing is in flight: termination should be immediate.
    assertTrue(
        strandChannel.awaitTermination(Duration.ofSeconds(3)),
        "channel never terminated after a refused connection");
  }

  // ---- helpers ----

  /** A port nothing listens on (it was free a moment ago). */
  private static int freePort() throws IOException {
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(Transport.HOST))) {
      return s.getLocalPort();
    }
  }

  private TestServiceGrpc.TestServiceStub async() {
    return TestServiceGrpc.newStub(grpcChannel).withDeadlineAfter(20, TimeUnit.SECONDS);
  }

  private static void emptyCall(io.grpc.ManagedChannel channel) {
    TestServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .emptyCall(Empty.getDefaultInstance());
  }

  private static void awaitLeaves(io.grpc.ManagedChannel channel, ConnectivityState state)
      throws InterruptedException {
    CountDownLatch changed = new CountDownLatch(1);
    channel.notifyWhenStateChanged(state, changed::countDown);
    assertTrue(changed.await(5, TimeUnit.SECONDS), "channel still " + state + " after 5 s");
  }

  private static void assertUnavailable(Runnable call) {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call::run);
    assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.toString());
  }

  private void assertStrandCallWorks() {
    assertEquals(
        Empty.getDefaultInstance(),
        ClientCalls.blockingUnary(
            strandChannel,
            TestServiceDescriptors.EMPTY_CALL,
            CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(10)),
            Empty.getDefaultInstance()));
  }

  /**
   * After a failed connect the channel is in TRANSIENT_FAILURE and fail-fast calls fail until its
   * backoff expires (connectivity-semantics-and-api.md); a wait-for-ready call rides that out and
   * must succeed on the reconnected channel within a few backoff periods.
   */
  private void assertStrandChannelRecovers() {
    long start = System.nanoTime();
    assertEquals(
        Empty.getDefaultInstance(),
        ClientCalls.blockingUnary(
            strandChannel,
            TestServiceDescriptors.EMPTY_CALL,
            CallOptions.DEFAULT.withWaitForReady().withTimeout(Duration.ofSeconds(10)),
            Empty.getDefaultInstance()));
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(ms < 3000, "reconnecting took " + ms + " ms with a 100 ms backoff");
    assertStrandCallWorks();
  }

  /** While the server is down a call fails fast with UNAVAILABLE rather than hanging. */
  private void assertStrandCallFails() {
    StatusException e =
        assertThrows(
            StatusException.class,
            () ->
                ClientCalls.blockingUnary(
                    strandChannel,
                    TestServiceDescriptors.EMPTY_CALL,
                    CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(10)),
                    Empty.getDefaultInstance()));
    assertEquals(dev.strand.Status.Code.UNAVAILABLE, e.code(), e.toString());
  }

  /**
   * Starts a server on the port just freed. The port may be briefly unavailable to bind, so try a
   * few times (bounded).
   */
  private static <S> S restart(IntFunction<S> start, int port) throws InterruptedException {
    RuntimeException last = null;
    for (int attempt = 0; attempt < 20; attempt++) {
      try {
        return start.apply(port);
      } catch (RuntimeException e) {
        last = e;
        Thread.sleep(100);
      }
    }
    throw new AssertionError("could not listen on port " + port + " again", last);
  }
}
