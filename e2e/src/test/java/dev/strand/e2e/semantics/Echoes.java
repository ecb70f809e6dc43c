package dev.strand.e2e.semantics;

import dev.strand.server.ServiceDefinition;
import dev.strand.stub.ServerCalls;
import dev.strand.stub.ServerContext;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;

/**
 * Unary echo servers on both implementations, for compression tests: the response is the request,
 * compressed with whatever the request's {@code x-reply-encoding} header names (set per call by the
 * handler, as an application would), or as the server is configured.
 */
final class Echoes {
  static final String REPLY_ENCODING = "x-reply-encoding";

  /** Compressible: 16 KiB that gzip shrinks to a few dozen bytes. */
  static final byte[] PAYLOAD =
      "a".repeat(16 * 1024).getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private Echoes() {}

  static ServiceDefinition strand() {
    return ServiceDefinition.builder(Probe.SERVICE)
        .method(
            Probe.UNARY,
            ServerCalls.unary(
                req -> {
                  ServerContext ctx = ServerContext.current();
                  String encoding = ctx.requestHeaders().get(REPLY_ENCODING);
                  if (encoding != null) {
                    ctx.setCompression(encoding);
                  }
                  return req;
                }))
        .build();
  }

  static ServerServiceDefinition grpc() {
    ServerServiceDefinition echo =
        ServerServiceDefinition.builder(Probe.SERVICE)
            .addMethod(
                Probe.G_UNARY,
                io.grpc.stub.ServerCalls.asyncUnaryCall(
                    (req, responses) -> {
                      responses.onNext(req);
                      responses.onCompleted();
                    }))
            .build();
    return ServerInterceptors.intercept(
        echo,
        new ServerInterceptor() {
          @Override
          public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
              ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
            String encoding =
                headers.get(Metadata.Key.of(REPLY_ENCODING, Metadata.ASCII_STRING_MARSHALLER));
            if (encoding != null) {
              call.setCompression(encoding);
            }
            return next.startCall(call, headers);
          }
        });
  }

  /** Request metadata for a Strand call asking for a compressed reply. */
  static dev.strand.Metadata replyWith(String encoding) {
    return new dev.strand.Metadata().add(REPLY_ENCODING, encoding);
  }

  static Metadata grpcReplyWith(String encoding) {
    Metadata md = new Metadata();
    md.put(Metadata.Key.of(REPLY_ENCODING, Metadata.ASCII_STRING_MARSHALLER), encoding);
    return md;
  }
}
