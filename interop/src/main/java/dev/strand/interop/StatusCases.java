package dev.strand.interop;

import dev.strand.Metadata;
import dev.strand.Status;
import dev.strand.StatusException;
import dev.strand.stub.BidiStreamCall;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.Messages.EchoStatus;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallResponse;
import io.grpc.testing.integration.UnimplementedService;
import java.util.Arrays;
import java.util.List;

/** The metadata, status and unimplemented test cases of interop-test-descriptions.md. */
final class StatusCases {
  private static final String INITIAL_VALUE = "test_initial_metadata_value";
  private static final byte[] TRAILING_VALUE = {(byte) 0xab, (byte) 0xab, (byte) 0xab};

  private StatusCases() {}

  static void customMetadata(Tester t) {
    t.recorder()
        .attachHeaders(
            new Metadata()
                .add(TestServiceImpl.ECHO_INITIAL, INITIAL_VALUE)
                .addBinary(TestServiceImpl.ECHO_TRAILING, TRAILING_VALUE));
    try {
      Check.zeros(
          t.client().unaryCall(UnaryCases.large().build()).getPayload(),
          314159,
          "UnaryCall response");
      checkEchoed(t.recorder().last(), "UnaryCall");

      BidiStreamCall<StreamingOutputCallRequest, StreamingOutputCallResponse> call =
          t.client().fullDuplexCall();
      call.send(StreamingCases.output(314159, 271828));
      call.halfClose();
      List<StreamingOutputCallResponse> responses = StreamingCases.readAll(call);
      Check.equal(1, responses.size(), "number of FullDuplexCall responses");
      Check.zeros(responses.get(0).getPayload(), 314159, "FullDuplexCall response");
      checkEchoed(t.recorder().last(), "FullDuplexCall");
    } finally {
      t.recorder().attachHeaders(null);
    }
  }

  private static void checkEchoed(CallRecorder.Record call, String which) {
    Metadata headers = call.headers;
    Check.isTrue(headers != null, which + ": no response headers were received");
    Check.equal(
        INITIAL_VALUE,
        headers.get(TestServiceImpl.ECHO_INITIAL),
        which + " initial metadata " + TestServiceImpl.ECHO_INITIAL);
    byte[] trailing =
        call.trailers == null ? null : call.trailers.getBinary(TestServiceImpl.ECHO_TRAILING);
    Check.isTrue(
        Arrays.equals(TRAILING_VALUE, trailing),
        which
            + " trailing metadata "
            + TestServiceImpl.ECHO_TRAILING
            + ": expected ababab but was "
            + (trailing == null ? "absent" : java.util.HexFormat.of().formatHex(trailing)));
  }

  static void statusCodeAndMessage(Tester t) throws Exception {
    checkEchoStatus(t, "test status message");
    EchoStatus echo = EchoStatus.newBuilder().setCode(2).setMessage("test status message").build();
    BidiStreamCall<StreamingOutputCallRequest, StreamingOutputCallResponse> call =
        t.client().fullDuplexCall();
    call.send(StreamingOutputCallRequest.newBuilder().setResponseStatus(echo).build());
    call.halfClose();
    StatusException e =
        Check.fails(
            Status.Code.UNKNOWN,
            "FullDuplexCall with response_status",
            () -> StreamingCases.readAll(call));
    Check.equal("test status message", e.status().description(), "FullDuplexCall status message");
  }

  static void specialStatusMessage(Tester t) throws Exception {
    checkEchoStatus(
        t, "\t\ntest with whitespace\r\nand Unicode BMP \u263A and non-BMP " + "\uD83D\uDE08\t\n");
  }

  /** A UnaryCall asking for code 2 and this message gets exactly both back. */
  private static void checkEchoStatus(Tester t, String message) throws Exception {
    SimpleRequest request =
        SimpleRequest.newBuilder()
            .setResponseStatus(EchoStatus.newBuilder().setCode(2).setMessage(message))
            .build();
    StatusException e =
        Check.fails(
            Status.Code.UNKNOWN,
            "UnaryCall with response_status",
            () -> t.client().unaryCall(request));
    Check.equal(message, e.status().description(), "UnaryCall status message");
  }

  static void unimplementedMethod(Tester t) throws Exception {
    Check.fails(
        Status.Code.UNIMPLEMENTED,
        "TestService/UnimplementedCall",
        () -> t.client().unimplementedCall(Empty.getDefaultInstance()));
  }

  static void unimplementedService(Tester t) throws Exception {
    Check.fails(
        Status.Code.UNIMPLEMENTED,
        "UnimplementedService/UnimplementedCall",
        () ->
            UnimplementedService.client(t.channel()).unimplementedCall(Empty.getDefaultInstance()));
  }
}
