package dev.strand.bench;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.benchmarks.proto.BenchmarkServiceGrpc;
import io.grpc.benchmarks.proto.Messages.SimpleRequest;
import io.grpc.benchmarks.proto.Messages.SimpleResponse;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * grpc-java 1.85.1's client, with directExecutor (callbacks on the transport thread, as Strand's
 * are; grpc-java's fastest setting): unary calls through the generated async stub, streams through
 * the call API with one request(1) per message, as its stubs do.
 */
final class GrpcJavaDriver implements Driver {
  private final ManagedChannel[] channels;
  private final BenchmarkServiceGrpc.BenchmarkServiceStub[] stubs;

  GrpcJavaDriver(String host, int port, int connections) {
    channels = new ManagedChannel[connections];
    stubs = new BenchmarkServiceGrpc.BenchmarkServiceStub[connections];
    for (int i = 0; i < connections; i++) {
      channels[i] =
          NettyChannelBuilder.forAddress(host, port).usePlaintext().directExecutor().build();
      stubs[i] = BenchmarkServiceGrpc.newStub(channels[i]);
    }
  }

  @Override
  public int connections() {
    return channels.length;
  }

  @Override
  public void unary(int conn, SimpleRequest request, BiConsumer<SimpleResponse, Throwable> done) {
    stubs[conn].unaryCall(
        request,
        new StreamObserver<>() {
          private SimpleResponse response;

          @Override
          public void onNext(SimpleResponse value) {
            response = value;
          }

          @Override
          public void onError(Throwable t) {
            done.accept(null, t);
          }

          @Override
          public void onCompleted() {
            done.accept(response, null);
          }
        });
  }

  @Override
  public Stream streamingCall(int conn, StreamListener listener) {
    return start(
        channels[conn].newCall(BenchmarkServiceGrpc.getStreamingCallMethod(), CallOptions.DEFAULT),
        listener);
  }

  @Override
  public Stream streamingFromServer(int conn, SimpleRequest request, StreamListener listener) {
    Stream s =
        start(
            channels[conn].newCall(
                BenchmarkServiceGrpc.getStreamingFromServerMethod(), CallOptions.DEFAULT),
            listener);
    s.send(request);
    s.halfClose();
    return s;
  }

  private static Stream start(ClientCall<SimpleRequest, SimpleResponse> call, StreamListener l) {
    Stream s =
        new Stream() {
          @Override
          public void send(SimpleRequest request) {
            call.sendMessage(request);
          }

          @Override
          public void request(int n) {
            call.request(n);
          }

          @Override
          public void halfClose() {
            call.halfClose();
          }

          @Override
          public void cancel() {
            call.cancel("benchmark over", null);
          }
        };
    // The listener has its stream before the first message can arrive on another thread.
    l.onStart(s);
    call.start(
        new ClientCall.Listener<>() {
          @Override
          public void onMessage(SimpleResponse message) {
            l.onMessage(message);
          }

          @Override
          public void onClose(Status status, Metadata trailers) {
            l.onClose(
                status.isOk() ? null : status.asException(),
                status.getCode() == Status.Code.CANCELLED);
          }
        },
        new Metadata());
    call.request(1);
    return s;
  }

  @Override
  public void close() {
    for (ManagedChannel c : channels) {
      c.shutdownNow();
    }
    for (ManagedChannel c : channels) {
      try {
        c.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
