package dev.strand.e2e.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.Deadline;
import dev.strand.Status;
import dev.strand.StatusException;
import dev.strand.client.CallOptions;
import dev.strand.client.ManagedChannel;
import dev.strand.server.Server;
import dev.strand.server.ServiceDefinition;
import dev.strand.stub.ClientCalls;
import dev.strand.stub.ServerCalls;
import dev.strand.stub.ServerContext;
import dev.strand.stub.StreamSource;
import io.grpc.Context;
import io.grpc.ServerServiceDefinition;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The server's side of deadlines: a Strand handler sees the deadline a grpc-java client sent and is
 * cancelled when it passes, by the server's own timer (the client's RST_STREAM is held back by the
 * tap to prove it), whether it waits, blocks in a send or blocks reading. And grpc-java, as the
 * server, sees and enforces the deadline a Strand client sends.
 */
@Timeout(30)
class ServerDeadlineTest {
  private static final byte[] BIG = new byte[64 * 1024];

  private final Peers peers = new Peers();

  /** What each Strand handler saw: its deadline, and how long until it was cancelled. */
  private final CompletableFuture<Deadline> seenDeadline = new CompletableFuture<>();

  private final CompletableFuture<Long> cancelledAfterMs = new CompletableFuture<>();
  private final CompletableFuture<StatusException> handlerThrew = new CompletableFuture<>();

  @AfterEach
  void stop() throws Exception {
    peers.close();
  }

  private Server strandServer() throws Exception {
    ServiceDefinition service =
        ServiceDefinition.builder(Probe.SERVICE)
            .method(
                Probe.UNARY,
                ServerCalls.unary(
                    req -> {
                      ServerContext ctx = ServerContext.current();
                      seenDeadline.complete(ctx.deadline());
                      if (Probe.text(req).equals("wait")) {
                        long start = System.nanoTime();
                        CountDownLatch cancelled = new CountDownLatch(1);
                        ctx.onCancel(cancelled::countDown);
                        if (cancelled.await(10, TimeUnit.SECONDS) && ctx.isCancelled()) {
                          cancelledAfterMs.complete(
                              TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                        }
                      }
                      return req;
                    }))
            .method(
                Probe.SERVER_STREAM,
                ServerCalls.serverStreaming(
                    (req, out) -> {
                      try {
                        for (int i = 0; i < 10_000; i++) {
                          out.send(
                              BIG); // the client reads one: this blocks once its window is full
                        }
                      } catch (StatusException e) {
                        handlerThrew.complete(e);
                        throw e;
                      }
                    }))
            .method(
                Probe.CLIENT_STREAM,
                ServerCalls.clientStreaming(
                    (StreamSource<byte[]> in) -> {
                      try {
                        for (byte[] ignored : in) {
                          // the client sends one and then nothing: this blocks
                        }
                      } catch (StatusException e) {
                        handlerThrew.complete(e);
                        throw e;
                      }
                      return new byte[0];
                    }))
            .build();
    return peers.start(Peers.strandServer().service(service));
  }

  @Test
  void strandHandlerSeesTheDeadlineGrpcJavaSent() throws Exception {
    var channel = peers.grpcChannelTo(strandServer().port());
    io.grpc.stub.ClientCalls.blockingUnaryCall(
        channel,
        Probe.G_UNARY,
        io.grpc.CallOptions.DEFAULT.withDeadlineAfter(2, TimeUnit.SECONDS),
        Probe.text("x"));
    long leftMs = seenDeadline.get(5, TimeUnit.SECONDS).remaining().toMillis();
    assertTrue(leftMs > 0 && leftMs <= 2000, "handler saw " + leftMs + " ms left of 2000");
  }

  @Test
  void strandHandlerSeesNoDeadlineWhenNoneWasSent() throws Exception {
    var channel = peers.grpcChannelTo(strandServer().port());
    io.grpc.stub.ClientCalls.blockingUnaryCall(
        channel, Probe.G_UNARY, io.grpc.CallOptions.DEFAULT, Probe.text("x"));
    assertEquals(null, seenDeadline.get(5, TimeUnit.SECONDS));
  }

  @Test
  void strandServerCancelsTheHandlerAtTheDeadlineOnItsOwn() throws Exception {
    WireTap tap = peers.add(WireTap.to(strandServer().port()));
    // Only the server's own timer can end the call now.
    tap.dropFrames(
        f -> f.type() == WireTap.RST_STREAM && f.direction() == WireTap.Direction.TO_SERVER);
    var channel = peers.grpcChannelTo(tap.port());
    StatusRuntimeException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            StatusRuntimeException.class,
            () ->
                io.grpc.stub.ClientCalls.blockingUnaryCall(
                    channel,
                    Probe.G_UNARY,
                    io.grpc.CallOptions.DEFAULT.withDeadlineAfter(300, TimeUnit.MILLISECONDS),
                    Probe.text("wait")));
    assertEquals(io.grpc.Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode());

    long after = cancelledAfterMs.get(5, TimeUnit.SECONDS);
    assertTrue(after >= 200 && after < 3000, "handler cancelled " + after + " ms in, deadline 300");
    WireTap.Frame reset =
        tap.await(
            f -> f.type() == WireTap.RST_STREAM && f.direction() == WireTap.Direction.TO_CLIENT,
            3000);
    assertEquals(8, reset.errorCode(), "the server should reset with CANCEL at the deadline");
  }

  @Test
  void aHandlerBlockedSendingIsReleasedAtTheDeadline() throws Exception {
    var channel = peers.grpcChannelTo(strandServer().port());
    var call =
        channel.newCall(
            Probe.G_SERVER_STREAM,
            io.grpc.CallOptions.DEFAULT.withDeadlineAfter(500, TimeUnit.MILLISECONDS));
    RawListener listener = new RawListener();
    call.start(listener, new io.grpc.Metadata());
    call.sendMessage(Probe.text("go"));
    call.halfClose();
    call.request(1); // and never more: the handler's sends fill the window and block
    StatusException e = handlerThrew.get(5, TimeUnit.SECONDS);
    assertEquals(Status.Code.CANCELLED, e.code(), e.toString());
    assertEquals(
        io.grpc.Status.Code.DEADLINE_EXCEEDED, listener.status.get(5, TimeUnit.SECONDS).getCode());
  }

  @Test
  void aHandlerBlockedReadingIsReleasedAtTheDeadline() throws Exception {
    var channel = peers.grpcChannelTo(strandServer().port());
    var call =
        channel.newCall(
            Probe.G_CLIENT_STREAM,
            io.grpc.CallOptions.DEFAULT.withDeadlineAfter(500, TimeUnit.MILLISECONDS));
    RawListener listener = new RawListener();
    call.start(listener, new io.grpc.Metadata());
    call.request(1);
    call.sendMessage(Probe.text("one")); // and no more, no half-close
    StatusException e = handlerThrew.get(5, TimeUnit.SECONDS);
    assertEquals(Status.Code.CANCELLED, e.code(), e.toString());
    assertEquals(
        io.grpc.Status.Code.DEADLINE_EXCEEDED, listener.status.get(5, TimeUnit.SECONDS).getCode());
  }

  @Test
  void asyncHandlerIsToldThroughItsCancelHandler() throws Exception {
    CountDownLatch cancelled = new CountDownLatch(1);
    ServiceDefinition service =
        ServiceDefinition.builder(Probe.SERVICE)
            .method(
                Probe.SERVER_STREAM,
                ServerCalls.asyncServerStreaming(
                    (byte[] req, dev.strand.stub.CallStreamObserver<byte[]> out) ->
                        out.setOnCancelHandler(cancelled::countDown))) // and never answers
            .build();
    var channel = peers.grpcChannelTo(peers.start(Peers.strandServer().service(service)).port());
    var call =
        channel.newCall(
            Probe.G_SERVER_STREAM,
            io.grpc.CallOptions.DEFAULT.withDeadlineAfter(300, TimeUnit.MILLISECONDS));
    RawListener listener = new RawListener();
    call.start(listener, new io.grpc.Metadata());
    call.sendMessage(Probe.text("go"));
    call.halfClose();
    assertTrue(cancelled.await(5, TimeUnit.SECONDS), "async handler never heard of the deadline");
    assertEquals(
        io.grpc.Status.Code.DEADLINE_EXCEEDED, listener.status.get(5, TimeUnit.SECONDS).getCode());
  }

  @Test
  void grpcJavaServerSeesAndEnforcesTheDeadlineStrandSent() throws Exception {
    CompletableFuture<Long> grpcSawMs = new CompletableFuture<>();
    CountDownLatch grpcCancelled = new CountDownLatch(1);
    ServerServiceDefinition service =
        ServerServiceDefinition.builder(Probe.SERVICE)
            .addMethod(
                Probe.G_UNARY,
                io.grpc.stub.ServerCalls.asyncUnaryCall(
                    (req, responses) -> {
                      io.grpc.Deadline d = Context.current().getDeadline();
                      grpcSawMs.complete(d == null ? -1 : d.timeRemaining(TimeUnit.MILLISECONDS));
                      Context.current().addListener(c -> grpcCancelled.countDown(), Runnable::run);
                    }))
            .build();
    WireTap tap = peers.add(WireTap.to(peers.grpcServerWith(service).getPort()));
    tap.dropFrames(
        f -> f.type() == WireTap.RST_STREAM && f.direction() == WireTap.Direction.TO_SERVER);
    ManagedChannel channel = peers.strandChannelTo(tap.port());
    StatusException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            StatusException.class,
            () ->
                ClientCalls.blockingUnary(
                    channel,
                    Probe.UNARY,
                    CallOptions.DEFAULT.withTimeout(Duration.ofMillis(500)),
                    Probe.text("x")));
    assertEquals(Status.Code.DEADLINE_EXCEEDED, e.code());
    long saw = grpcSawMs.get(5, TimeUnit.SECONDS);
    assertTrue(saw > 0 && saw <= 500, "grpc-java saw " + saw + " ms left of 500");
    assertTrue(grpcCancelled.await(5, TimeUnit.SECONDS), "grpc-java did not enforce it");
    assertNotNull(
        tap.await(
            f ->
                f.type() == WireTap.RST_STREAM
                    && f.direction() == WireTap.Direction.TO_CLIENT
                    && f.errorCode() == 8,
            3000));
  }

  /** Records what a raw grpc-java ClientCall ends with. */
  static final class RawListener extends io.grpc.ClientCall.Listener<byte[]> {
    final CompletableFuture<io.grpc.Status> status = new CompletableFuture<>();

    @Override
    public void onClose(io.grpc.Status s, io.grpc.Metadata trailers) {
      status.complete(s);
    }
  }
}
