package dev.strand.e2e.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.strand.Status;
import dev.strand.server.ServiceDefinition;
import dev.strand.stub.ServerCalls;
import dev.strand.stub.ServerContext;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A server interceptor's {@code close()} sees every way a call ends, not only the statuses the
 * handler chose: the server's own deadline, the client's cancel, and a request over the size limit.
 * Monitoring built on interceptors would otherwise miss exactly the failures it exists for. Each
 * outcome is seen once, even though the handler, woken by the cancel, also ends its call.
 */
@Timeout(30)
class InterceptorSeesEveryOutcomeTest {
  private static final int MAX_REQUEST = 1024;

  private final Peers peers = new Peers();

  /** Each status an interceptor's close() saw, in order. */
  private final LinkedBlockingQueue<Status.Code> closes = new LinkedBlockingQueue<>();

  private final CompletableFuture<Void> handlerWaiting = new CompletableFuture<>();

  /** One thread runs the handlers, so a task queued after one runs after it has ended its call. */
  private final ExecutorService handlers = peers.addExecutor(Executors.newSingleThreadExecutor());

  @AfterEach
  void stop() throws Exception {
    peers.close();
  }

  /** A unary method that waits until its call is cancelled (at most 10 s). */
  private int startServer() throws Exception {
    ServiceDefinition service =
        ServiceDefinition.builder(Probe.SERVICE)
            .method(
                Probe.UNARY,
                ServerCalls.unary(
                    req -> {
                      ServerContext ctx = ServerContext.current();
                      CountDownLatch cancelled = new CountDownLatch(1);
                      ctx.onCancel(cancelled::countDown);
                      handlerWaiting.complete(null);
                      cancelled.await(10, TimeUnit.SECONDS);
                      return req;
                    }))
            .build();
    return peers
        .start(
            Peers.strandServer()
                .maxInboundMessageSize(MAX_REQUEST)
                .blockingExecutor(handlers)
                .interceptor(new RecordingCloses(closes))
                .service(service))
        .port();
  }

  @Test
  void closeSeesTheServersOwnDeadline() throws Exception {
    WireTap tap = peers.add(WireTap.to(startServer()));
    // The client's RST_STREAM never arrives: only the server's timer can end the call.
    tap.dropFrames(
        f -> f.type() == WireTap.RST_STREAM && f.direction() == WireTap.Direction.TO_SERVER);
    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                io.grpc.stub.ClientCalls.blockingUnaryCall(
                    peers.grpcChannelTo(tap.port()),
                    Probe.G_UNARY,
                    io.grpc.CallOptions.DEFAULT.withDeadlineAfter(300, TimeUnit.MILLISECONDS),
                    Probe.text("wait")));
    assertEquals(io.grpc.Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode());

    assertEquals(Status.Code.DEADLINE_EXCEEDED, closes.poll(5, TimeUnit.SECONDS));
    assertNoSecondCloseOnceTheHandlerReturned();
  }

  @Test
  void closeSeesTheClientsCancel() throws Exception {
    var call =
        peers.grpcChannelTo(startServer()).newCall(Probe.G_UNARY, io.grpc.CallOptions.DEFAULT);
    call.start(new io.grpc.ClientCall.Listener<>() {}, new io.grpc.Metadata());
    call.sendMessage(Probe.text("wait"));
    call.halfClose();
    call.request(1);
    handlerWaiting.get(5, TimeUnit.SECONDS);
    call.cancel("the user gave up", null);

    assertEquals(Status.Code.CANCELLED, closes.poll(5, TimeUnit.SECONDS));
    assertNoSecondCloseOnceTheHandlerReturned();
  }

  @Test
  void closeSeesAnOversizedRequestRejected() throws Exception {
    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                io.grpc.stub.ClientCalls.blockingUnaryCall(
                    peers.grpcChannelTo(startServer()),
                    Probe.G_UNARY,
                    io.grpc.CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS),
                    new byte[MAX_REQUEST + 1]));
    assertEquals(io.grpc.Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());

    // The trailers leave after the chain's close() ran, so it has run by now; no handler started.
    assertEquals(List.of(Status.Code.RESOURCE_EXHAUSTED), List.copyOf(closes));
  }

  /**
   * The woken handler returns and its stub ends the call too; that end must not reach the
   * interceptor a second time. It runs on the handler's thread right after the handler, so a task
   * queued behind it on the same single thread runs only once it is over.
   */
  private void assertNoSecondCloseOnceTheHandlerReturned() throws Exception {
    handlers.submit(() -> {}).get(5, TimeUnit.SECONDS);
    assertEquals(List.of(), List.copyOf(closes), "closes after the first");
  }
}
