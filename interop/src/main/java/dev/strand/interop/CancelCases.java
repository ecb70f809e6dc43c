package dev.strand.interop;

import dev.strand.Status;
import dev.strand.StatusException;
import dev.strand.stub.BidiStreamCall;
import dev.strand.stub.StreamObserver;
import io.grpc.testing.integration.Messages.StreamingInputCallRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** The deadline and cancellation test cases of interop-test-descriptions.md. */
final class CancelCases {
  private CancelCases() {}

  static void timeoutOnSleepingServer(Tester t) throws Exception {
    BidiStreamCall<StreamingOutputCallRequest, StreamingOutputCallResponse> call =
        t.client().withTimeout(Duration.ofMillis(1)).fullDuplexCall();
    try {
      call.send(StreamingOutputCallRequest.newBuilder().setPayload(Payloads.zeros(27182)).build());
    } catch (StatusException e) {
      // The deadline may pass before the message goes out: that is the expected outcome too.
      Check.status(Status.Code.DEADLINE_EXCEEDED, e, "sending on a call with a 1 ms deadline");
      return;
    }
    Check.fails(
        Status.Code.DEADLINE_EXCEEDED,
        "FullDuplexCall with a 1 ms deadline",
        () -> StreamingCases.readAll(call));
  }

  static void cancelAfterBegin(Tester t) throws Exception {
    CompletableFuture<Throwable> end = new CompletableFuture<>();
    AtomicInteger responses = new AtomicInteger();
    StreamObserver<StreamingInputCallRequest> requests =
        t.client().async().streamingInputCall(recorder(end, responses));
    requests.onError(new RuntimeException("cancelled by cancel_after_begin"));
    Check.status(Status.Code.CANCELLED, Tester.await(end, "cancelled call"), "cancelled call");
    Check.equal(0, responses.get(), "responses received");
  }

  static void cancelAfterFirstResponse(Tester t) throws Exception {
    BidiStreamCall<StreamingOutputCallRequest, StreamingOutputCallResponse> call =
        t.client().fullDuplexCall();
    call.send(StreamingCases.output(31415, 27182));
    StreamingOutputCallResponse first = call.next();
    Check.isTrue(first != null, "stream ended before the first response");
    Check.zeros(first.getPayload(), 31415, "first response");
    call.cancel("cancelled by cancel_after_first_response");
    Check.fails(
        Status.Code.CANCELLED,
        "reading after cancel",
        () -> {
          while (call.next() != null) {
            // Drain anything that was already queued; the end must be CANCELLED.
          }
        });
  }

  private static <T> StreamObserver<T> recorder(
      CompletableFuture<Throwable> end, AtomicInteger count) {
    return new StreamObserver<>() {
      @Override
      public void onNext(T value) {
        count.incrementAndGet();
      }

      @Override
      public void onError(Throwable error) {
        end.complete(error);
      }

      @Override
      public void onCompleted() {
        end.complete(null);
      }
    };
  }
}
