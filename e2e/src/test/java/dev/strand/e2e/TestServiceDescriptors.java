package dev.strand.e2e;

import com.google.protobuf.MessageLite;
import dev.strand.MethodDescriptor;
import dev.strand.MethodType;
import dev.strand.protobuf.ProtoMarshaller;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.SimpleResponse;
import io.grpc.testing.integration.Messages.StreamingInputCallRequest;
import io.grpc.testing.integration.Messages.StreamingInputCallResponse;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallResponse;

/**
 * Strand's view of grpc.testing.TestService (test.proto), written by hand the way generated code
 * would be, so that Strand servers and clients in these tests speak the exact wire names.
 */
final class TestServiceDescriptors {
  static final String SERVICE = "grpc.testing.TestService";

  static final MethodDescriptor<Empty, Empty> EMPTY_CALL =
      method(MethodType.UNARY, "EmptyCall", Empty.getDefaultInstance(), Empty.getDefaultInstance());
  static final MethodDescriptor<SimpleRequest, SimpleResponse> UNARY_CALL =
      method(
          MethodType.UNARY,
          "UnaryCall",
          SimpleRequest.getDefaultInstance(),
          SimpleResponse.getDefaultInstance());
  static final MethodDescriptor<StreamingOutputCallRequest, StreamingOutputCallResponse>
      STREAMING_OUTPUT_CALL =
          method(
              MethodType.SERVER_STREAMING,
              "StreamingOutputCall",
              StreamingOutputCallRequest.getDefaultInstance(),
              StreamingOutputCallResponse.getDefaultInstance());
  static final MethodDescriptor<StreamingInputCallRequest, StreamingInputCallResponse>
      STREAMING_INPUT_CALL =
          method(
              MethodType.CLIENT_STREAMING,
              "StreamingInputCall",
              StreamingInputCallRequest.getDefaultInstance(),
              StreamingInputCallResponse.getDefaultInstance());
  static final MethodDescriptor<StreamingOutputCallRequest, StreamingOutputCallResponse>
      FULL_DUPLEX_CALL =
          method(
              MethodType.BIDI_STREAMING,
              "FullDuplexCall",
              StreamingOutputCallRequest.getDefaultInstance(),
              StreamingOutputCallResponse.getDefaultInstance());
  static final MethodDescriptor<StreamingOutputCallRequest, StreamingOutputCallResponse>
      HALF_DUPLEX_CALL =
          method(
              MethodType.BIDI_STREAMING,
              "HalfDuplexCall",
              StreamingOutputCallRequest.getDefaultInstance(),
              StreamingOutputCallResponse.getDefaultInstance());

  /** In test.proto but deliberately implemented by no server. */
  static final MethodDescriptor<Empty, Empty> UNIMPLEMENTED_CALL =
      method(
          MethodType.UNARY,
          "UnimplementedCall",
          Empty.getDefaultInstance(),
          Empty.getDefaultInstance());

  /** A service no server in these tests registers. */
  static final MethodDescriptor<Empty, Empty> UNKNOWN_SERVICE_CALL =
      MethodDescriptor.of(
          MethodType.UNARY,
          "grpc.testing.UnimplementedService/UnimplementedCall",
          ProtoMarshaller.of(Empty.getDefaultInstance()),
          ProtoMarshaller.of(Empty.getDefaultInstance()));

  private TestServiceDescriptors() {}

  private static <ReqT extends MessageLite, RespT extends MessageLite>
      MethodDescriptor<ReqT, RespT> method(
          MethodType type, String name, ReqT request, RespT response) {
    return MethodDescriptor.of(
        type,
        MethodDescriptor.fullName(SERVICE, name),
        ProtoMarshaller.of(request),
        ProtoMarshaller.of(response));
  }
}
