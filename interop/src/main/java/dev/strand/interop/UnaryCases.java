package dev.strand.interop;

import static dev.strand.interop.Tester.bool;

import dev.strand.Status;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.SimpleResponse;
import java.util.List;

/** The unary test cases of interop-test-descriptions.md, plus grpc-java's very_large_request. */
final class UnaryCases {
  private UnaryCases() {}

  static void emptyUnary(Tester t) {
    Empty response = t.client().emptyCall(Empty.getDefaultInstance());
    Check.isTrue(response != null, "EmptyCall returned null");
    Check.equal(Empty.getDefaultInstance(), response, "EmptyCall response");
  }

  static void largeUnary(Tester t) {
    SimpleResponse response = t.client().unaryCall(large().build());
    Check.zeros(response.getPayload(), 314159, "UnaryCall response payload");
  }

  /** With {@code probe}, first checks the server rejects an uncompressed expect_compressed call. */
  static void clientCompressedUnary(Tester t, boolean probe) throws Exception {
    SimpleRequest expectCompressed = large().setExpectCompressed(bool(true)).build();
    if (probe) {
      Check.fails(
          Status.Code.INVALID_ARGUMENT,
          "feature probe (uncompressed request with expect_compressed=true)",
          () -> t.client().unaryCall(expectCompressed));
    }
    SimpleResponse compressed = t.client().withOptions(Tester.GZIP).unaryCall(expectCompressed);
    Check.zeros(compressed.getPayload(), 314159, "response to the compressed request");

    SimpleRequest expectPlain = large().setExpectCompressed(bool(false)).build();
    SimpleResponse plain = t.client().unaryCall(expectPlain);
    Check.zeros(plain.getPayload(), 314159, "response to the uncompressed request");
  }

  static void serverCompressedUnary(Tester t) {
    for (boolean compressed : new boolean[] {true, false}) {
      SimpleResponse response =
          t.client().unaryCall(large().setResponseCompressed(bool(compressed)).build());
      String what = "response with response_compressed=" + compressed;
      Check.zeros(response.getPayload(), 314159, what);
      Check.equal(
          List.of(compressed),
          t.recorder().last().compressedFlags(),
          "compressed flag of the " + what);
    }
  }

  /** grpc-java's case: a 10 MiB request (servers take 16 MiB), a 10-byte response. */
  static void veryLargeRequest(Tester t) {
    SimpleRequest request =
        SimpleRequest.newBuilder()
            .setResponseSize(10)
            .setPayload(Payloads.zeros(10 * 1024 * 1024))
            .build();
    Check.zeros(t.client().unaryCall(request).getPayload(), 10, "UnaryCall response payload");
  }

  /** response_size 314159 and 271828 zero bytes: the request of most unary cases. */
  static SimpleRequest.Builder large() {
    return SimpleRequest.newBuilder().setResponseSize(314159).setPayload(Payloads.zeros(271828));
  }
}
