package dev.strand.web.client;

import com.linecorp.armeria.common.grpc.GrpcSerializationFormats;
import com.linecorp.armeria.server.grpc.GrpcService;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.integration.Messages.EchoStatus;
import io.grpc.testing.integration.Messages.Payload;
import io.grpc.testing.integration.Messages.ResponseParameters;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.SimpleResponse;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallResponse;
import java.net.InetSocketAddress;
import java.util.Iterator;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Armeria's gRPC server (armeria-grpc, with its gRPC-Web formats on) on 127.0.0.1, serving with
 * grpc-java's API the part of grpc.testing.TestService the channel tests use, with the interop
 * rules for echoed metadata and requested statuses: a gRPC-Web server Strand did not write.
 */
final class ArmeriaTestServer implements AutoCloseable {
  private static final String SERVICE = "grpc.testing.TestService";
  private static final Metadata.Key<String> ECHO_INITIAL =
      Metadata.Key.of(WebChannelContract.ECHO_INITIAL, Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<byte[]> ECHO_TRAILING =
      Metadata.Key.of(WebChannelContract.ECHO_TRAILING, Metadata.BINARY_BYTE_MARSHALLER);

  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
  private final com.linecorp.armeria.server.Server server;

  ArmeriaTestServer() {
    server =
        com.linecorp.armeria.server.Server.builder()
            .http(new InetSocketAddress("127.0.0.1", 0))
            .service(
                GrpcService.builder()
                    .addService(ServerInterceptors.intercept(testService(), new EchoMetadata()))
                    .supportedSerializationFormats(GrpcSerializationFormats.values())
                    .build())
            .build();
    server.start().join();
  }

  String target() {
    return "127.0.0.1:" + server.activeLocalPort();
  }

  private ServerServiceDefinition testService() {
    return ServerServiceDefinition.builder(SERVICE)
        .addMethod(
            method(
                "UnaryCall",
                MethodDescriptor.MethodType.UNARY,
                SimpleRequest.getDefaultInstance(),
                SimpleResponse.getDefaultInstance()),
            ServerCalls.asyncUnaryCall(this::unaryCall))
        .addMethod(
            method(
                "StreamingOutputCall",
                MethodDescriptor.MethodType.SERVER_STREAMING,
                StreamingOutputCallRequest.getDefaultInstance(),
                StreamingOutputCallResponse.getDefaultInstance()),
            ServerCalls.asyncServerStreamingCall(this::streamingOutputCall))
        .build();
  }

  private static <
          ReqT extends com.google.protobuf.Message, RespT extends com.google.protobuf.Message>
      MethodDescriptor<ReqT, RespT> method(
          String name, MethodDescriptor.MethodType type, ReqT request, RespT response) {
    return MethodDescriptor.<ReqT, RespT>newBuilder()
        .setFullMethodName(SERVICE + "/" + name)
        .setType(type)
        .setRequestMarshaller(ProtoUtils.marshaller(request))
        .setResponseMarshaller(ProtoUtils.marshaller(response))
        .build();
  }

  private static Payload zeros(int size) {
    return Payload.newBuilder()
        .setBody(com.google.protobuf.ByteString.copyFrom(new byte[size]))
        .build();
  }

  private static Status requested(EchoStatus status) {
    return Status.fromCodeValue(status.getCode()).withDescription(status.getMessage());
  }

  private void unaryCall(SimpleRequest request, StreamObserver<SimpleResponse> responses) {
    if (request.hasResponseStatus() && request.getResponseStatus().getCode() != 0) {
      responses.onError(requested(request.getResponseStatus()).asRuntimeException());
      return;
    }
    responses.onNext(
        SimpleResponse.newBuilder().setPayload(zeros(request.getResponseSize())).build());
    responses.onCompleted();
  }

  private void streamingOutputCall(
      StreamingOutputCallRequest request, StreamObserver<StreamingOutputCallResponse> responses) {
    sendNext(
        request,
        request.getResponseParametersList().iterator(),
        (ServerCallStreamObserver<StreamingOutputCallResponse>) responses);
  }

  /** One response per parameter, each after its interval, on a timer; then the outcome. */
  private void sendNext(
      StreamingOutputCallRequest request,
      Iterator<ResponseParameters> parameters,
      ServerCallStreamObserver<StreamingOutputCallResponse> responses) {
    if (responses.isCancelled()) {
      return;
    }
    if (!parameters.hasNext()) {
      if (request.hasResponseStatus() && request.getResponseStatus().getCode() != 0) {
        responses.onError(requested(request.getResponseStatus()).asRuntimeException());
      } else {
        responses.onCompleted();
      }
      return;
    }
    ResponseParameters next = parameters.next();
    timers.schedule(
        () -> {
          if (responses.isCancelled()) {
            return;
          }
          responses.onNext(
              StreamingOutputCallResponse.newBuilder().setPayload(zeros(next.getSize())).build());
          sendNext(request, parameters, responses);
        },
        next.getIntervalUs(),
        TimeUnit.MICROSECONDS);
  }

  /** Echoes the interop test's initial and trailing metadata. */
  private static final class EchoMetadata implements ServerInterceptor {
    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
        ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
      String initial = headers.get(ECHO_INITIAL);
      byte[] trailing = headers.get(ECHO_TRAILING);
      return next.startCall(
          new SimpleForwardingServerCall<>(call) {
            @Override
            public void sendHeaders(Metadata responseHeaders) {
              if (initial != null) {
                responseHeaders.put(ECHO_INITIAL, initial);
              }
              super.sendHeaders(responseHeaders);
            }

            @Override
            public void close(Status status, Metadata trailers) {
              if (trailing != null) {
                trailers.put(ECHO_TRAILING, trailing);
              }
              super.close(status, trailers);
            }
          },
          headers);
    }
  }

  @Override
  public void close() {
    server.stop().join();
    timers.shutdownNow();
  }
}
