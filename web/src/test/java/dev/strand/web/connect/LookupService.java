package dev.strand.web.connect;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodOptions;
import com.google.protobuf.DescriptorProtos.MethodOptions.IdempotencyLevel;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import dev.strand.Metadata;
import dev.strand.MethodDescriptor;
import dev.strand.MethodType;
import dev.strand.Status;
import dev.strand.protobuf.ProtoMarshaller;
import dev.strand.protobuf.ProtoServiceSchema;
import dev.strand.server.ServiceDefinition;
import dev.strand.stub.ServerCalls;
import dev.strand.stub.ServerContext;
import io.grpc.testing.integration.Messages;
import io.grpc.testing.integration.Messages.EchoStatus;
import io.grpc.testing.integration.Messages.Payload;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.SimpleResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * A service with a method declared free of side effects, which Connect lets clients call with GET,
 * and one that is not; grpc.testing has none. Its .proto is built here, so the schema the server
 * reads the idempotency level from is the real protobuf one. Both methods answer with the request's
 * payload and the protocol the call came in on (as server_id); when the request asks for a failing
 * status they fail with it and a rich-error detail; with fill_username they first sleep
 * response_size milliseconds.
 */
final class LookupService {
  static final String SERVICE = "strand.test.Lookup";
  static final String GET = SERVICE + "/Get";
  static final String PUT = SERVICE + "/Put";

  private LookupService() {}

  static ServiceDefinition definition() {
    ServiceDefinition.Builder service =
        ServiceDefinition.builder(SERVICE)
            .schemaDescriptor(new ProtoServiceSchema(file(), "Lookup"));
    for (String name : new String[] {GET, PUT}) {
      service.method(descriptor(name), ServerCalls.unary(LookupService::answer));
    }
    return service.build();
  }

  static MethodDescriptor<SimpleRequest, SimpleResponse> descriptor(String name) {
    return MethodDescriptor.of(
        MethodType.UNARY,
        name,
        ProtoMarshaller.of(SimpleRequest.getDefaultInstance()),
        ProtoMarshaller.of(SimpleResponse.getDefaultInstance()));
  }

  private static SimpleResponse answer(SimpleRequest request)
      throws IOException, InterruptedException {
    if (request.getFillUsername()) {
      // A slow handler, for deadlines: response_size milliseconds.
      Thread.sleep(request.getResponseSize());
    }
    EchoStatus status = request.getResponseStatus();
    if (status.getCode() != 0) {
      Metadata trailers = new Metadata();
      trailers.addBinary("grpc-status-details-bin", rpcStatus(status));
      throw Status.fromCodeValue(status.getCode())
          .withDescription(status.getMessage())
          .asException(trailers);
    }
    return SimpleResponse.newBuilder()
        .setPayload(Payload.newBuilder().setBody(request.getPayload().getBody()))
        .setUsername("size " + request.getResponseSize())
        // What a handler sees of the protocol its call came in on.
        .setServerId(ServerContext.current().info().protocol())
        .build();
  }

  /** A google.rpc.Status with the request's EchoStatus as its one detail. */
  static byte[] rpcStatus(EchoStatus status) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.writeInt32(1, status.getCode());
    out.writeString(2, status.getMessage());
    out.writeBytes(3, ByteString.copyFrom(Any.pack(status).toByteArray()));
    out.flush();
    return bytes.toByteArray();
  }

  static FileDescriptor file() {
    FileDescriptorProto proto =
        FileDescriptorProto.newBuilder()
            .setName("strand/test/lookup.proto")
            .setPackage("strand.test")
            .setSyntax("proto3")
            .addDependency(Messages.getDescriptor().getName())
            .addService(
                ServiceDescriptorProto.newBuilder()
                    .setName("Lookup")
                    .addMethod(method("Get", IdempotencyLevel.NO_SIDE_EFFECTS))
                    .addMethod(method("Put", IdempotencyLevel.IDEMPOTENCY_UNKNOWN)))
            .build();
    try {
      return FileDescriptor.buildFrom(proto, new FileDescriptor[] {Messages.getDescriptor()});
    } catch (DescriptorValidationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static MethodDescriptorProto method(String name, IdempotencyLevel level) {
    return MethodDescriptorProto.newBuilder()
        .setName(name)
        .setInputType(".grpc.testing.SimpleRequest")
        .setOutputType(".grpc.testing.SimpleResponse")
        .setOptions(MethodOptions.newBuilder().setIdempotencyLevel(level))
        .build();
  }
}
