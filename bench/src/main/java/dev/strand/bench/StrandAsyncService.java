package dev.strand.bench;

import dev.strand.stub.CallStreamObserver;
import dev.strand.stub.StreamObserver;
import io.grpc.benchmarks.proto.BenchmarkService;
import io.grpc.benchmarks.proto.Messages.SimpleRequest;
import io.grpc.benchmarks.proto.Messages.SimpleResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** BenchmarkService as async handlers that run on Strand's event loop. */
final class StrandAsyncService implements BenchmarkService.Async {

  @Override
  public CompletionStage<SimpleResponse> unaryCall(SimpleRequest request) {
    return CompletableFuture.completedFuture(Payloads.responseFor(request));
  }

  @Override
  public StreamObserver<SimpleRequest> streamingCall(CallStreamObserver<SimpleResponse> responses) {
    return new Echo(responses);
  }

  @Override
  public StreamObserver<SimpleRequest> streamingFromClient(
      CallStreamObserver<SimpleResponse> responses) {
    return new StreamObserver<>() {
      private SimpleRequest last = SimpleRequest.getDefaultInstance();

      @Override
      public void onNext(SimpleRequest value) {
        last = value;
      }

      @Override
      public void onError(Throwable error) {}

      @Override
      public void onCompleted() {
        responses.onNext(Payloads.responseFor(last));
        responses.onCompleted();
      }
    };
  }

  @Override
  public void streamingFromServer(
      SimpleRequest request, CallStreamObserver<SimpleResponse> responses) {
    SimpleResponse response = Payloads.responseFor(request);
    // Send while the transport is ready, resume when it says so: memory stays bounded.
    Runnable pump =
        () -> {
          while (responses.isReady() && !responses.isCancelled()) {
            responses.onNext(response);
          }
        };
    responses.setOnReadyHandler(pump);
    pump.run();
  }

  @Override
  public StreamObserver<SimpleRequest> streamingBothWays(
      CallStreamObserver<SimpleResponse> responses) {
    return new Echo(responses);
  }

  private static final class Echo implements StreamObserver<SimpleRequest> {
    private final CallStreamObserver<SimpleResponse> responses;

    Echo(CallStreamObserver<SimpleResponse> responses) {
      this.responses = responses;
    }

    @Override
    public void onNext(SimpleRequest value) {
      responses.onNext(Payloads.responseFor(value));
    }

    @Override
    public void onError(Throwable error) {}

    @Override
    public void onCompleted() {
      responses.onCompleted();
    }
  }
}
