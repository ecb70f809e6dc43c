package dev.strand.bench;

import io.grpc.benchmarks.proto.BenchmarkServiceGrpc;
import io.grpc.benchmarks.proto.Messages.SimpleRequest;
import io.grpc.benchmarks.proto.Messages.SimpleResponse;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

/**
 * BenchmarkService on grpc-java 1.85.1, written like grpc-benchmarks' own AsyncServer: the same
 * application logic as the Strand services, so only the framework differs.
 */
final class GrpcJavaService extends BenchmarkServiceGrpc.BenchmarkServiceImplBase {

  @Override
  public void unaryCall(SimpleRequest request, StreamObserver<SimpleResponse> responses) {
    responses.onNext(Payloads.responseFor(request));
    responses.onCompleted();
  }

  @Override
  public StreamObserver<SimpleRequest> streamingCall(StreamObserver<SimpleResponse> responses) {
    return new Echo(responses);
  }

  @Override
  public StreamObserver<SimpleRequest> streamingFromClient(
      StreamObserver<SimpleResponse> responses) {
    return new StreamObserver<>() {
      private SimpleRequest last = SimpleRequest.getDefaultInstance();

      @Override
      public void onNext(SimpleRequest value) {
        last = value;
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {
        responses.onNext(Payloads.responseFor(last));
        responses.onCompleted();
      }
    };
  }

  @Override
  public void streamingFromServer(
      SimpleRequest request, StreamObserver<SimpleResponse> responseObserver) {
    ServerCallStreamObserver<SimpleResponse> responses =
        (ServerCallStreamObserver<SimpleResponse>) responseObserver;
    SimpleResponse response = Payloads.responseFor(request);
    Runnable pump =
        () -> {
          while (responses.isReady() && !responses.isCancelled()) {
            responses.onNext(response);
          }
        };
    responses.setOnCancelHandler(() -> {});
    responses.setOnReadyHandler(pump);
    pump.run();
  }

  @Override
  public StreamObserver<SimpleRequest> streamingBothWays(StreamObserver<SimpleResponse> responses) {
    return new Echo(responses);
  }

  private static final class Echo implements StreamObserver<SimpleRequest> {
    private final StreamObserver<SimpleResponse> responses;

    Echo(StreamObserver<SimpleResponse> responses) {
      this.responses = responses;
    }

    @Override
    public void onNext(SimpleRequest value) {
      responses.onNext(Payloads.responseFor(value));
    }

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onCompleted() {
      responses.onCompleted();
    }
  }
}
