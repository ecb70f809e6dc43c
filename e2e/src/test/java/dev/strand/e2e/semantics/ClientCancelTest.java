package dev.strand.e2e.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.strand.Status;
import dev.strand.StatusException;
import dev.strand.client.CallOptions;
import dev.strand.client.ManagedChannel;
import dev.strand.stub.BidiStreamCall;
import dev.strand.stub.ClientCalls;
import dev.strand.stub.ClientStreamCall;
import dev.strand.stub.StreamSource;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A client that cancels sends RST_STREAM(CANCEL), and the server's handler is told: grpc-java's
 * context is cancelled when a Strand client gives up, and every kind of Strand handler hears of a
 * grpc-java (or Strand) client giving up — the listener fires, a blocked send or read throws.
 */
@Timeout(30)
class ClientCancelTest {
  private final Peers peers = new Peers();
  private final Events events = new Events();

  @AfterEach
  void stop() throws Exception {
    peers.close();
  }

  private WireTap grpcJavaBehindTap() throws Exception {
    return peers.add(WireTap.to(peers.grpcServerWith(Blockers.grpc(events)).getPort()));
  }

  private WireTap strandBehindTap() throws Exception {
    return peers.add(
        WireTap.to(peers.start(Peers.strandServer().service(Blockers.strand(events))).port()));
  }

  private static void expectRstCancel(WireTap tap) throws InterruptedException {
    WireTap.Frame rst =
        tap.await(
            f -> f.type() == WireTap.RST_STREAM && f.direction() == WireTap.Direction.TO_SERVER,
            5000);
    assertEquals(8, rst.errorCode(), "client cancellation must be RST_STREAM(CANCEL)");
  }

  // ---- a Strand client cancels; grpc-java serves ----

  @Test
  void cancellingAFutureSendsRstCancelToGrpcJava() throws Exception {
    WireTap tap = grpcJavaBehindTap();
    ManagedChannel channel = peers.strandChannelTo(tap.port());
    CompletableFuture<byte[]> call =
        ClientCalls.futureUnary(channel, Probe.UNARY, CallOptions.DEFAULT, Probe.text("x"));
    events.await("grpc:started", 5000);
    call.cancel(true);
    expectRstCancel(tap);
    events.await("grpc:cancelled", 5000);
  }

  @Test
  void closingAStreamSourceBeforeItsEndCancelsTheCall() throws Exception {
    WireTap tap = grpcJavaBehindTap();
    ManagedChannel channel = peers.strandChannelTo(tap.port());
    StreamSource<byte[]> responses =
        ClientCalls.serverStream(
            channel, Probe.SERVER_STREAM, CallOptions.DEFAULT, Probe.text("x"));
    events.await("grpc:started", 5000);
    responses.close();
    expectRstCancel(tap);
    events.await("grpc:cancelled", 5000);
  }

  @Test
  void interruptingABlockedCallerCancelsTheCall() throws Exception {
    WireTap tap = grpcJavaBehindTap();
    ManagedChannel channel = peers.strandChannelTo(tap.port());
    CompletableFuture<StatusException> failure = new CompletableFuture<>();
    Thread caller =
        new Thread(
            () -> {
              try {
                ClientCalls.blockingUnary(
                    channel, Probe.UNARY, CallOptions.DEFAULT, Probe.text("x"));
              } catch (StatusException e) {
                failure.complete(e);
              }
            });
    caller.start();
    events.await("grpc:started", 5000);
    caller.interrupt();
    assertEquals(Status.Code.CANCELLED, failure.get(5, TimeUnit.SECONDS).code());
    expectRstCancel(tap);
    events.await("grpc:cancelled", 5000);
  }

  // ---- a grpc-java client cancels; Strand serves ----

  /** Starts a grpc-java call with one request; half-closes unless the method streams requests. */
  private io.grpc.ClientCall<byte[], byte[]> grpcCall(
      WireTap tap, io.grpc.MethodDescriptor<byte[], byte[]> method, boolean sendOne) {
    io.grpc.ClientCall<byte[], byte[]> call =
        peers.grpcChannelTo(tap.port()).newCall(method, io.grpc.CallOptions.DEFAULT);
    call.start(new io.grpc.ClientCall.Listener<>() {}, new io.grpc.Metadata());
    if (sendOne) {
      call.sendMessage(Probe.text("x"));
      call.halfClose();
    }
    call.request(1);
    return call;
  }

  @Test
  void grpcJavaCancelReachesAWaitingBlockingHandler() throws Exception {
    WireTap tap = strandBehindTap();
    var call = grpcCall(tap, Probe.G_UNARY, true);
    events.await("unary:started", 5000);
    call.cancel("gave up", null);
    expectRstCancel(tap);
    events.await("unary:cancelled", 5000);
    events.await("unary:isCancelled=true", 5000);
  }

  @Test
  void grpcJavaCancelReleasesAHandlerBlockedInSend() throws Exception {
    WireTap tap = strandBehindTap();
    var call = grpcCall(tap, Probe.G_SERVER_STREAM, true);
    events.awaitBlockedIn("send", "send", 5000); // the sends filled the window
    call.cancel("gave up", null);
    events.await("send:threw:CANCELLED", 5000);
  }

  @Test
  void grpcJavaCancelReleasesAHandlerBlockedReading() throws Exception {
    WireTap tap = strandBehindTap();
    var call = grpcCall(tap, Probe.G_CLIENT_STREAM, false);
    events.awaitBlockedIn("next", "next", 5000);
    call.cancel("gave up", null);
    events.await("next:threw:CANCELLED", 5000);
  }

  @Test
  void grpcJavaCancelReachesTheRawListener() throws Exception {
    WireTap tap = strandBehindTap();
    var call = grpcCall(tap, Probe.G_BIDI, false);
    events.await("listener:started", 5000);
    call.cancel("gave up", null);
    events.await("listener:cancelled", 5000);
  }

  // ---- Strand on both ends ----

  @Test
  void strandClientCancelReachesEveryKindOfStrandHandler() throws Exception {
    WireTap tap = strandBehindTap();
    ManagedChannel channel = peers.strandChannelTo(tap.port());

    CompletableFuture<byte[]> unary =
        ClientCalls.futureUnary(channel, Probe.UNARY, CallOptions.DEFAULT, Probe.text("x"));
    StreamSource<byte[]> stream =
        ClientCalls.serverStream(
            channel, Probe.SERVER_STREAM, CallOptions.DEFAULT, Probe.text("x"));
    ClientStreamCall<byte[], byte[]> upload =
        ClientCalls.clientStream(channel, Probe.CLIENT_STREAM, CallOptions.DEFAULT);
    BidiStreamCall<byte[], byte[]> bidi =
        ClientCalls.bidiStream(channel, Probe.BIDI, CallOptions.DEFAULT);
    for (String started : new String[] {"unary", "send", "next", "listener"}) {
      events.await(started + ":started", 5000);
    }
    events.awaitBlockedIn("send", "send", 5000);
    events.awaitBlockedIn("next", "next", 5000);

    unary.cancel(true);
    stream.close();
    upload.cancel("gave up");
    bidi.cancel("gave up");
    events.await("unary:cancelled", 5000);
    events.await("send:threw:CANCELLED", 5000);
    events.await("next:threw:CANCELLED", 5000);
    events.await("listener:cancelled", 5000);
    StatusException e = assertThrows(StatusException.class, upload::finish);
    assertEquals(Status.Code.CANCELLED, e.code());
  }
}
