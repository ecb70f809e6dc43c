package dev.strand.e2e;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Collects what a grpc-java async stub receives, for tests to wait on: responses in a queue, the
 * final status in a future, and the request side so a test can send, half-close or cancel.
 */
final class GrpcResponses<ReqT, RespT> implements ClientResponseObserver<ReqT, RespT> {
  final BlockingQueue<RespT> messages = new LinkedBlockingQueue<>();
  final CompletableFuture<Status> status = new CompletableFuture<>();
  private volatile ClientCallStreamObserver<ReqT> requests;

  @Override
  public void beforeStart(ClientCallStreamObserver<ReqT> requestStream) {
    this.requests = requestStream;
  }

  ClientCallStreamObserver<ReqT> requests() {
    return requests;
  }

  @Override
  public void onNext(RespT value) {
    messages.add(value);
  }

  @Override
  public void onError(Throwable t) {
    status.complete(Status.fromThrowable(t));
  }

  @Override
  public void onCompleted() {
    status.complete(Status.OK);
  }

  /** The next response; fails the test if none arrives in 5 s. */
  RespT next() throws InterruptedException {
    RespT m = messages.poll(5, TimeUnit.SECONDS);
    assertNotNull(m, "no response within 5 s; status so far: " + status.getNow(null));
    return m;
  }

  /** Waits for the end of the call and returns its status. */
  Status awaitStatus() throws Exception {
    return status.get(10, TimeUnit.SECONDS);
  }

  /** Every response received so far. */
  List<RespT> received() {
    return new ArrayList<>(messages);
  }
}
