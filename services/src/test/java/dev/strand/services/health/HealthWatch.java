package dev.strand.services.health;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.strand.services.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A Watch call made by grpc-java's HealthGrpc client, read one event at a time with a bound. */
final class HealthWatch implements ClientResponseObserver<HealthCheckRequest, HealthCheckResponse> {
  private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
  private volatile ClientCallStreamObserver<HealthCheckRequest> call;

  static HealthWatch start(io.grpc.Channel channel, String service) {
    HealthWatch watch = new HealthWatch();
    HealthGrpc.newStub(channel)
        .withDeadlineAfter(30, TimeUnit.SECONDS)
        .watch(HealthCheckRequest.newBuilder().setService(service).build(), watch);
    return watch;
  }

  /** The next status the server sent, in Strand's enum; fails on a stream end or a timeout. */
  ServingStatus next() throws InterruptedException {
    Object event = poll();
    if (!(event instanceof HealthCheckResponse r)) {
      throw new AssertionError("expected a status, got " + event);
    }
    return ServingStatus.forNumber(r.getStatusValue());
  }

  /** How the stream ended; fails if a status arrives first or nothing comes in time. */
  Status end() throws InterruptedException {
    Object event = poll();
    if (!(event instanceof Status s)) {
      throw new AssertionError("expected the stream to end, got " + event);
    }
    return s;
  }

  void cancel() {
    call.cancel("test is done watching", null);
  }

  private Object poll() throws InterruptedException {
    Object event = events.poll(10, TimeUnit.SECONDS);
    assertNotNull(event, "nothing arrived within 10 s");
    return event;
  }

  @Override
  public void beforeStart(ClientCallStreamObserver<HealthCheckRequest> requestStream) {
    this.call = requestStream;
  }

  @Override
  public void onNext(HealthCheckResponse value) {
    events.add(value);
  }

  @Override
  public void onError(Throwable t) {
    events.add(Status.fromThrowable(t));
  }

  @Override
  public void onCompleted() {
    events.add(Status.OK);
  }
}
