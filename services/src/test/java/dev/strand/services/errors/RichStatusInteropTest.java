package dev.strand.services.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.rpc.BadRequest;
import com.google.rpc.DebugInfo;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import dev.strand.StatusException;
import dev.strand.client.CallOptions;
import dev.strand.client.ManagedChannel;
import dev.strand.server.Server;
import dev.strand.services.Peers;
import dev.strand.services.TestEcho;
import dev.strand.services.test.Echo;
import dev.strand.services.test.EchoReply;
import dev.strand.services.test.EchoRequest;
import dev.strand.services.test.Payload;
import io.grpc.Metadata;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Rich error details across implementations: a Strand server's details read by grpc-java's
 * StatusProto, and a grpc-java server's StatusProto details read by RichStatus in a Strand client.
 */
@Timeout(60)
class RichStatusInteropTest {
  static final EchoRequest FAIL =
      EchoRequest.newBuilder().setPayload(Payload.newBuilder().setText("fail")).build();

  /** Echo/Say for grpc-java, which has no generated stub for it here. */
  static final io.grpc.MethodDescriptor<EchoRequest, EchoReply> SAY =
      io.grpc.MethodDescriptor.<EchoRequest, EchoReply>newBuilder()
          .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
          .setFullMethodName(Echo.Methods.SAY.fullName())
          .setRequestMarshaller(ProtoUtils.marshaller(EchoRequest.getDefaultInstance()))
          .setResponseMarshaller(ProtoUtils.marshaller(EchoReply.getDefaultInstance()))
          .build();

  @Test
  void strandServerDetailsReadByGrpcJavaStatusProto() throws Exception {
    Server server = Peers.strandServer().service(new TestEcho()).start();
    io.grpc.ManagedChannel channel = Peers.grpcJavaChannel(server.port());
    try {
      StatusRuntimeException e =
          assertThrows(
              StatusRuntimeException.class,
              () ->
                  ClientCalls.blockingUnaryCall(
                      channel,
                      SAY,
                      io.grpc.CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
                      FAIL));
      assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
      assertEquals(TestEcho.RICH_ERROR.getMessage(), e.getStatus().getDescription());

      com.google.rpc.Status details = StatusProto.fromThrowable(e);
      assertEquals(TestEcho.RICH_ERROR, details, "every detail arrives intact");
      assertEquals("FORBIDDEN_WORD", details.getDetails(0).unpack(ErrorInfo.class).getReason());
      assertEquals(3, details.getDetails(2).unpack(RetryInfo.class).getRetryDelay().getSeconds());
    } finally {
      Peers.close(channel);
      Peers.close(server);
    }
  }

  @Test
  void grpcJavaServerDetailsReadByRichStatus() throws Exception {
    io.grpc.Server server =
        Peers.grpcJavaServer(
            echo(
                (request, responses) ->
                    responses.onError(StatusProto.toStatusRuntimeException(TestEcho.RICH_ERROR))));
    ManagedChannel channel = Peers.strandChannel(server.getPort());
    try {
      StatusException e = assertThrows(StatusException.class, () -> client(channel).say(FAIL));
      assertEquals(dev.strand.Status.Code.INVALID_ARGUMENT, e.code());

      com.google.rpc.Status details = RichStatus.fromThrowable(e).orElseThrow();
      assertEquals(TestEcho.RICH_ERROR, details);
      assertEquals(
          "payload.text",
          RichStatus.detail(details, BadRequest.class)
              .orElseThrow()
              .getFieldViolations(0)
              .getField());
      assertEquals(
          "on purpose", RichStatus.detail(details, DebugInfo.class).orElseThrow().getDetail());
      assertEquals(
          "strand.dev", RichStatus.detail(details, ErrorInfo.class).orElseThrow().getDomain());
    } finally {
      Peers.close(channel);
      Peers.close(server);
    }
  }

  @Test
  void detailsWhoseCodeContradictsTheStatusAreNotTrusted() throws Exception {
    // A proxy's doing, say: the status says INTERNAL, the forwarded trailer INVALID_ARGUMENT.
    io.grpc.Server server =
        Peers.grpcJavaServer(
            echo(
                (request, responses) -> {
                  Metadata trailers = new Metadata();
                  trailers.put(
                      Metadata.Key.of(RichStatus.DETAILS_KEY, Metadata.BINARY_BYTE_MARSHALLER),
                      TestEcho.RICH_ERROR.toByteArray());
                  responses.onError(
                      Status.INTERNAL.withDescription("proxy failed").asRuntimeException(trailers));
                }));
    ManagedChannel channel = Peers.strandChannel(server.getPort());
    try {
      StatusException e = assertThrows(StatusException.class, () -> client(channel).say(FAIL));
      assertEquals(dev.strand.Status.Code.INTERNAL, e.code());
      assertTrue(e.trailers().containsKey(RichStatus.DETAILS_KEY), "the trailer did arrive");
      assertTrue(RichStatus.fromThrowable(e).isEmpty());
    } finally {
      Peers.close(channel);
      Peers.close(server);
    }
  }

  static Echo.Client client(ManagedChannel channel) {
    return Echo.client(channel).withOptions(CallOptions.DEFAULT.withTimeout(Peers.CALL_TIMEOUT));
  }

  static ServerServiceDefinition echo(ServerCalls.UnaryMethod<EchoRequest, EchoReply> say) {
    return ServerServiceDefinition.builder(Echo.Methods.SERVICE_NAME)
        .addMethod(SAY, ServerCalls.asyncUnaryCall(say))
        .build();
  }
}
