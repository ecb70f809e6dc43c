package dev.strand.e2e.semantics;

import dev.strand.StatusException;
import dev.strand.server.ServerCall;
import dev.strand.server.ServiceDefinition;
import dev.strand.stub.ServerCalls;
import dev.strand.stub.ServerContext;
import dev.strand.stub.StreamSource;
import io.grpc.Context;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Handlers that block, one way each, and report to {@link Events} when they start and how they
 * learn that their call is over: the victims of cancellation tests. A unary request "echo" is
 * answered at once, by either implementation.
 *
 * <ul>
 *   <li>Unary: waits; "unary:started", then "unary:cancelled" from ServerContext.onCancel.
 *   <li>ServerStream: sends 64 KiB messages to a client that reads none, so a send blocks;
 *       "send:threw:CODE" when it throws.
 *   <li>ClientStream: reads from a client that sends nothing; "next:threw:CODE".
 *   <li>Bidi: the raw call API; "listener:cancelled" from ServerCall.Listener.onCancel.
 * </ul>
 *
 * The grpc-java versions report "grpc:started" and "grpc:cancelled".
 */
final class Blockers {
  static final byte[] BIG = new byte[64 * 1024];

  private Blockers() {}

  static ServiceDefinition strand(Events events) {
    return ServiceDefinition.builder(Probe.SERVICE)
        .method(
            Probe.UNARY,
            ServerCalls.unary(
                req -> {
                  if (Probe.text(req).equals("echo")) {
                    return req;
                  }
                  ServerContext ctx = ServerContext.current();
                  CountDownLatch cancelled = new CountDownLatch(1);
                  ctx.onCancel(
                      () -> {
                        events.add("unary:cancelled");
                        cancelled.countDown();
                      });
                  events.started("unary");
                  cancelled.await(20, TimeUnit.SECONDS);
                  events.add("unary:isCancelled=" + ctx.isCancelled());
                  return req;
                }))
        .method(
            Probe.SERVER_STREAM,
            ServerCalls.serverStreaming(
                (req, out) -> {
                  events.started("send");
                  try {
                    for (int i = 0; i < 100_000; i++) {
                      out.send(BIG);
                    }
                  } catch (StatusException e) {
                    events.add("send:threw:" + e.code());
                    throw e;
                  }
                }))
        .method(
            Probe.CLIENT_STREAM,
            ServerCalls.clientStreaming(
                (StreamSource<byte[]> in) -> {
                  events.started("next");
                  try {
                    while (in.next() != null) {
                      // keep reading
                    }
                  } catch (StatusException e) {
                    events.add("next:threw:" + e.code());
                    throw e;
                  }
                  return new byte[0];
                }))
        .method(
            Probe.BIDI,
            (ServerCall<byte[], byte[]> call, dev.strand.Metadata headers) -> {
              call.request(1);
              events.started("listener");
              return new ServerCall.Listener<>() {
                @Override
                public void onCancel() {
                  events.add("listener:cancelled");
                }

                @Override
                public void onComplete() {
                  events.add("listener:completed");
                }
              };
            })
        .build();
  }

  /** grpc-java handlers that never answer and report their cancellation. */
  static ServerServiceDefinition grpc(Events events) {
    return ServerServiceDefinition.builder(Probe.SERVICE)
        .addMethod(
            Probe.G_UNARY,
            io.grpc.stub.ServerCalls.asyncUnaryCall(
                (req, responses) -> {
                  if (Probe.text(req).equals("echo")) {
                    responses.onNext(req);
                    responses.onCompleted();
                    return;
                  }
                  Context.current().addListener(c -> events.add("grpc:cancelled"), Runnable::run);
                  events.add("grpc:started");
                }))
        .addMethod(
            Probe.G_SERVER_STREAM,
            io.grpc.stub.ServerCalls.asyncServerStreamingCall(
                (req, responses) -> {
                  ((ServerCallStreamObserver<byte[]>) responses)
                      .setOnCancelHandler(() -> events.add("grpc:cancelled"));
                  events.add("grpc:started");
                }))
        .build();
  }
}
