package dev.strand.interop;

import static dev.strand.interop.Tester.bool;

import dev.strand.Status;
import dev.strand.stub.BidiStreamCall;
import dev.strand.stub.CallStreamObserver;
import dev.strand.stub.ClientStreamCall;
import dev.strand.stub.StreamObserver;
import dev.strand.stub.StreamSource;
import io.grpc.testing.integration.Messages.ResponseParameters;
import io.grpc.testing.integration.Messages.StreamingInputCallRequest;
import io.grpc.testing.integration.Messages.StreamingInputCallResponse;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The streaming test cases of interop-test-descriptions.md. */
final class StreamingCases {
  private StreamingCases() {}

  static void clientStreaming(Tester t) {
    ClientStreamCall<StreamingInputCallRequest, StreamingInputCallResponse> call =
        t.client().streamingInputCall();
    for (int size : new int[] {27182, 8, 1828, 45904}) {
      call.send(input(size, null));
    }
    Check.equal(74922, call.finish().getAggregatedPayloadSize(), "aggregated_payload_size");
  }

  /**
   * With {@code probe}, first checks the server rejects an uncompressed expect_compressed message.
   * The second message goes uncompressed, as the spec asks.
   */
  static void clientCompressedStreaming(Tester t, boolean probe) throws Exception {
    if (probe) {
      CompletableFuture<Throwable> end = new CompletableFuture<>();
      CallStreamObserver<StreamingInputCallRequest> requests =
          t.client()
              .async()
              .streamingInputCall(
                  new StreamObserver<>() {
                    @Override
                    public void onNext(StreamingInputCallResponse value) {}

                    @Override
                    public void onError(Throwable error) {
                      end.complete(error);
                    }

                    @Override
                    public void onCompleted() {
                      end.complete(null);
                    }
                  });
      requests.onNext(input(27182, true));
      try {
        Throwable error = Tester.await(end, "feature probe");
        Check.status(
            Status.Code.INVALID_ARGUMENT,
            error,
            "feature probe (uncompressed message with expect_compressed=true)");
      } finally {
        requests.onError(new RuntimeException("probe over"));
      }
    }
    ClientStreamCall<StreamingInputCallRequest, StreamingInputCallResponse> call =
        t.client().withOptions(Tester.GZIP).streamingInputCall();
    call.send(input(27182, true));
    call.setMessageCompression(false);
    call.send(input(45904, false));
    Check.equal(73086, call.finish().getAggregatedPayloadSize(), "aggregated_payload_size");
  }

  static void serverStreaming(Tester t) {
    StreamingOutputCallRequest.Builder request = StreamingOutputCallRequest.newBuilder();
    int[] sizes = {31415, 9, 2653, 58979};
    for (int size : sizes) {
      request.addResponseParameters(ResponseParameters.newBuilder().setSize(size));
    }
    List<StreamingOutputCallResponse> responses =
        readAll(t.client().streamingOutputCall(request.build()));
    checkSizes(sizes, responses);
  }

  static void serverCompressedStreaming(Tester t) {
    StreamingOutputCallRequest request =
        StreamingOutputCallRequest.newBuilder()
            .addResponseParameters(
                ResponseParameters.newBuilder().setCompressed(bool(true)).setSize(31415))
            .addResponseParameters(
                ResponseParameters.newBuilder().setCompressed(bool(false)).setSize(92653))
            .build();
    List<StreamingOutputCallResponse> responses = readAll(t.client().streamingOutputCall(request));
    checkSizes(new int[] {31415, 92653}, responses);
    Check.equal(
        List.of(true, false),
        t.recorder().last().compressedFlags(),
        "compressed flags of the two responses (asked: true, false)");
  }

  static void pingPong(Tester t) {
    int[] requestSizes = {27182, 8, 1828, 45904};
    int[] responseSizes = {31415, 9, 2653, 58979};
    BidiStreamCall<StreamingOutputCallRequest, StreamingOutputCallResponse> call =
        t.client().fullDuplexCall();
    for (int i = 0; i < requestSizes.length; i++) {
      call.send(output(responseSizes[i], requestSizes[i]));
      StreamingOutputCallResponse response = call.next();
      Check.isTrue(response != null, "stream ended before response " + (i + 1));
      Check.zeros(response.getPayload(), responseSizes[i], "response " + (i + 1));
    }
    call.halfClose();
    Check.isTrue(call.next() == null, "more than four responses");
  }

  static void emptyStream(Tester t) {
    BidiStreamCall<StreamingOutputCallRequest, StreamingOutputCallResponse> call =
        t.client().fullDuplexCall();
    call.halfClose();
    Check.isTrue(call.next() == null, "expected no responses");
  }

  /** A FullDuplexCall request: one response of {@code responseSize}, a payload of zeros. */
  static StreamingOutputCallRequest output(int responseSize, int payloadSize) {
    return StreamingOutputCallRequest.newBuilder()
        .addResponseParameters(ResponseParameters.newBuilder().setSize(responseSize))
        .setPayload(Payloads.zeros(payloadSize))
        .build();
  }

  private static StreamingInputCallRequest input(int size, Boolean expectCompressed) {
    StreamingInputCallRequest.Builder b =
        StreamingInputCallRequest.newBuilder().setPayload(Payloads.zeros(size));
    if (expectCompressed != null) {
      b.setExpectCompressed(bool(expectCompressed));
    }
    return b.build();
  }

  static <T> List<T> readAll(StreamSource<T> source) {
    List<T> all = new ArrayList<>();
    try (source) {
      for (T item : source) {
        all.add(item);
      }
    }
    return all;
  }

  private static void checkSizes(int[] sizes, List<StreamingOutputCallResponse> responses) {
    Check.equal(sizes.length, responses.size(), "number of responses");
    for (int i = 0; i < sizes.length; i++) {
      Check.zeros(responses.get(i).getPayload(), sizes[i], "response " + (i + 1));
    }
  }
}
