package dev.strand.e2e;

import com.google.protobuf.ByteString;
import io.grpc.testing.integration.Messages.EchoStatus;
import io.grpc.testing.integration.Messages.Payload;
import io.grpc.testing.integration.Messages.ResponseParameters;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.StreamingInputCallRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;

/** Builders for the interop messages, so tests read as what they ask of the server. */
final class Requests {
  /** A description that exercises grpc-message's percent-encoding: unicode, %, newline. */
  static final String SPECIAL_MESSAGE =
      "h\u00e9llo \u4e16\u754c \uD83D\uDE00 100% done\n" + "line two\t%41 \u0000end";

  private Requests() {}

  static Payload payload(int size) {
    return Payload.newBuilder().setBody(ByteString.copyFrom(new byte[size])).build();
  }

  static SimpleRequest unary(int requestSize, int responseSize) {
    return SimpleRequest.newBuilder()
        .setPayload(payload(requestSize))
        .setResponseSize(responseSize)
        .build();
  }

  static SimpleRequest failing(int code, String message) {
    return SimpleRequest.newBuilder()
        .setResponseStatus(EchoStatus.newBuilder().setCode(code).setMessage(message))
        .build();
  }

  /** Asks for one response per size, each after {@code intervalMicros}. */
  static StreamingOutputCallRequest paced(int intervalMicros, int... sizes) {
    StreamingOutputCallRequest.Builder b = StreamingOutputCallRequest.newBuilder();
    for (int size : sizes) {
      b.addResponseParameters(
          ResponseParameters.newBuilder().setSize(size).setIntervalUs(intervalMicros));
    }
    return b.build();
  }

  static StreamingOutputCallRequest streaming(int... sizes) {
    return paced(0, sizes);
  }

  /** {@code count} responses of sizes 0, 1*step, 2*step... */
  static int[] sizes(int count, int step) {
    int[] sizes = new int[count];
    for (int i = 0; i < count; i++) {
      sizes[i] = i * step;
    }
    return sizes;
  }

  static StreamingOutputCallRequest streamingFailing(int code, String message, int... sizes) {
    return streaming(sizes).toBuilder()
        .setResponseStatus(EchoStatus.newBuilder().setCode(code).setMessage(message))
        .build();
  }

  static StreamingInputCallRequest input(int size) {
    return StreamingInputCallRequest.newBuilder().setPayload(payload(size)).build();
  }
}
