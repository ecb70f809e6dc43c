package dev.strand.services.reflection;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import dev.strand.services.reflection.v1alpha.ServerReflection;
import dev.strand.services.reflection.v1alpha.ServerReflectionRequest;
import dev.strand.services.reflection.v1alpha.ServerReflectionResponse;
import dev.strand.stub.StreamSink;
import dev.strand.stub.StreamSource;

/**
 * {@code grpc.reflection.v1alpha}, for tools that predate v1. v1 is v1alpha under a new package
 * name, message for message and field number for field number, so each message crosses over as its
 * bytes and one implementation answers both.
 */
final class ReflectionV1Alpha implements ServerReflection {
  private final ReflectionService v1;

  ReflectionV1Alpha(ReflectionService v1) {
    this.v1 = v1;
  }

  @Override
  public void serverReflectionInfo(
      StreamSource<ServerReflectionRequest> requests,
      StreamSink<ServerReflectionResponse> responses) {
    ReflectionStream stream = v1.newStream();
    for (ServerReflectionRequest request : requests) {
      var v1Request =
          convert(request, dev.strand.services.reflection.v1.ServerReflectionRequest.parser());
      responses.send(convert(stream.answer(v1Request), ServerReflectionResponse.parser()));
    }
  }

  private static <T> T convert(MessageLite message, Parser<T> parser) {
    try {
      return parser.parseFrom(message.toByteString());
    } catch (InvalidProtocolBufferException e) {
      // Only possible if the two protos ever stopped sharing a wire format.
      throw new IllegalStateException("v1 and v1alpha reflection messages differ", e);
    }
  }
}
