package dev.strand.bench;

import dev.strand.StatusException;
import dev.strand.stub.StreamSink;
import dev.strand.stub.StreamSource;
import io.grpc.benchmarks.proto.BenchmarkService;
import io.grpc.benchmarks.proto.Messages.SimpleRequest;
import io.grpc.benchmarks.proto.Messages.SimpleResponse;

/**
 * BenchmarkService as plain blocking methods: Strand runs them on its blocking executor (a virtual
 * thread per call on Java 21+, a bounded pool on 17).
 */
final class StrandBlockingService implements BenchmarkService {

  @Override
  public SimpleResponse unaryCall(SimpleRequest request) {
    return Payloads.responseFor(request);
  }

  @Override
  public void streamingCall(
      StreamSource<SimpleRequest> requests, StreamSink<SimpleResponse> responses) {
    for (SimpleRequest request : requests) {
      responses.send(Payloads.responseFor(request));
    }
  }

  @Override
  public SimpleResponse streamingFromClient(StreamSource<SimpleRequest> requests) {
    SimpleRequest last = SimpleRequest.getDefaultInstance();
    for (SimpleRequest request : requests) {
      last = request;
    }
    return Payloads.responseFor(last);
  }

  @Override
  public void streamingFromServer(SimpleRequest request, StreamSink<SimpleResponse> responses) {
    SimpleResponse response = Payloads.responseFor(request);
    try {
      while (true) {
        responses.send(response); // blocks while the client's window is full
      }
    } catch (StatusException cancelled) {
      // The client cancels to stop the stream: the normal end of this method.
    }
  }

  @Override
  public void streamingBothWays(
      StreamSource<SimpleRequest> requests, StreamSink<SimpleResponse> responses) {
    for (SimpleRequest request : requests) {
      responses.send(Payloads.responseFor(request));
    }
  }
}
