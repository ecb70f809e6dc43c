package dev.strand.netty.grpc;

import dev.strand.Deadline;
import dev.strand.Metadata;
import dev.strand.MethodDescriptor;
import dev.strand.Status;
import dev.strand.internal.call.Tracing;
import dev.strand.internal.wire.GrpcTimeout;
import dev.strand.internal.wire.HeaderNames;
import dev.strand.netty.headers.HeadersCodec;
import dev.strand.netty.stream.ServerProtocol;
import dev.strand.netty.stream.ServerStream;
import dev.strand.server.ExceptionMapper;
import dev.strand.server.ServerCall;
import dev.strand.server.ServerMethod;
import dev.strand.server.ServerSettings;
import dev.strand.server.ServiceDefinition;
import dev.strand.spi.ServerCallTracer;
import dev.strand.wire.Codec;
import dev.strand.wire.CodecRegistry;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * gRPC over HTTP/2 (PROTOCOL-HTTP2.md), the server side: admits a request (POST, a gRPC content
 * type, a known method, a valid {@code grpc-timeout} and {@code grpc-encoding}) and starts a {@link
 * GrpcServerCall} on its stream, or answers it at once with the status or HTTP error the spec
 * gives. As the server's fallback protocol it also answers requests no protocol claims.
 */
public final class GrpcServerProtocol implements ServerProtocol {
  /** What a tracer is told of a request for no method of this server (not the name it gave). */
  private static final Status UNKNOWN_METHOD =
      Status.UNIMPLEMENTED.withDescription("method not found");

  private final ServerSettings settings;
  private final MethodTable methods;
  private final String name;

  public GrpcServerProtocol(ServerSettings settings, MethodTable methods) {
    this(settings, methods, ServerCall.CallInfo.GRPC);
  }

  /**
   * For a protocol that translates its requests to gRPC ones and lets this engine serve them:
   * {@code name} is what its calls' {@link ServerCall.CallInfo#protocol()} says.
   */
  public GrpcServerProtocol(ServerSettings settings, MethodTable methods, String name) {
    this.settings = settings;
    this.methods = methods;
    this.name = name;
  }

  @Override
  public boolean accepts(Http2Headers requestHeaders) {
    return HeadersCodec.POST.contentEqualsIgnoreCase(requestHeaders.method())
        && HeaderNames.isGrpcContentType(requestHeaders.get(HeadersCodec.CONTENT_TYPE));
  }

  @Override
  public void open(ServerStream stream, Http2Headers headers, boolean endOfStream) {
    open(stream, headers, endOfStream, null);
  }

  /**
   * As {@link #open(ServerStream, Http2Headers, boolean)}, with the call's messages in {@code
   * format} (the method's JSON one, say) rather than its binary one; null for the binary one. The
   * format must be for the method's message types: a protocol looks the method up itself to choose
   * it.
   */
  public void open(
      ServerStream stream,
      Http2Headers headers,
      boolean endOfStream,
      MethodDescriptor.Format<?, ?> format) {
    if (!HeadersCodec.POST.contentEqualsIgnoreCase(headers.method())) {
      respondHttpError(stream, 405, "gRPC requires POST, got " + headers.method());
      return;
    }
    CharSequence contentType = headers.get(HeadersCodec.CONTENT_TYPE);
    if (!HeaderNames.isGrpcContentType(contentType)) {
      respondHttpError(
          stream,
          415,
          "unsupported content-type '" + contentType + "': gRPC needs application/grpc");
      return;
    }
    // Read only for a tracer: a request answered at once is a call it counts too.
    long startNanos = settings.tracer() == null ? 0 : System.nanoTime();
    ServerMethod<?, ?> method = findMethod(stream, headers.path());
    if (method == null) {
      Tracing.rejected(settings.tracer(), null, UNKNOWN_METHOD, startNanos);
      return;
    }
    Deadline deadline = null;
    CharSequence timeout = headers.get(HeadersCodec.GRPC_TIMEOUT);
    if (timeout != null) {
      try {
        deadline = Deadline.after(GrpcTimeout.decode(timeout), TimeUnit.NANOSECONDS);
      } catch (IllegalArgumentException e) {
        Status status = Status.INTERNAL.withDescription(e.getMessage());
        respondStatus(stream, status, null);
        Tracing.rejected(settings.tracer(), method.descriptor(), status, startNanos);
        return;
      }
    }
    Codec codec = null;
    CharSequence encoding = headers.get(HeadersCodec.GRPC_ENCODING);
    if (encoding != null && !CodecRegistry.IDENTITY.contentEquals(encoding)) {
      codec = CodecRegistry.getDefault().lookup(encoding.toString());
      if (codec == null) {
        Http2Headers extra = new DefaultHttp2Headers();
        extra.add(HeadersCodec.GRPC_ACCEPT_ENCODING, CodecRegistry.getDefault().acceptEncoding());
        Status status =
            Status.UNIMPLEMENTED.withDescription(
                "grpc-encoding '" + encoding + "' is not supported");
        respondStatus(stream, status, extra);
        Tracing.rejected(settings.tracer(), method.descriptor(), status, startNanos);
        return;
      }
    }
    Metadata metadata = HeadersCodec.toMetadata(headers);
    CharSequence accepted = headers.get(HeadersCodec.GRPC_ACCEPT_ENCODING);
    GrpcServerCall<?, ?> call =
        new GrpcServerCall<>(
            this,
            stream,
            method,
            deadline,
            codec,
            headers.authority(),
            accepted == null ? "" : accepted,
            format);
    if (settings.compression() != null) {
      call.setCompression(settings.compression());
    }
    stream.listen(call);
    call.start(metadata);
    if (endOfStream) {
      call.onData(stream.connection().alloc().buffer(0), true);
    }
  }

  String name() {
    return name;
  }

  int maxInboundMessageSize() {
    return settings.maxInboundMessageSize();
  }

  List<ServiceDefinition> services() {
    return settings.services();
  }

  ExceptionMapper exceptionMapper() {
    return settings.exceptionMapper();
  }

  ServerCallTracer tracer() {
    return settings.tracer();
  }

  /** The method a :path names, or null after answering UNIMPLEMENTED. */
  private ServerMethod<?, ?> findMethod(ServerStream stream, CharSequence path) {
    ServerMethod<?, ?> method = path == null ? null : methods.find(path);
    if (method == null) {
      boolean wellFormed = path != null && path.length() > 1 && path.charAt(0) == '/';
      respondStatus(
          stream,
          Status.UNIMPLEMENTED.withDescription(
              wellFormed
                  ? "Method not found: " + path.subSequence(1, path.length())
                  : "malformed :path '" + path + "'"),
          null);
      return null;
    }
    return method;
  }

  /** Answers a call that failed before it began, Trailers-Only. */
  private static void respondStatus(ServerStream stream, Status status, Http2Headers extra) {
    Http2Headers headers = new DefaultHttp2Headers().status(HeadersCodec.STATUS_200);
    headers.add(HeadersCodec.CONTENT_TYPE, HeadersCodec.APPLICATION_GRPC);
    HeadersCodec.addStatus(headers, status);
    if (extra != null) {
      headers.add(extra);
    }
    endResponse(stream, headers);
  }

  /** Answers a request that is not gRPC at all with a plain HTTP error (and a gRPC status). */
  private static void respondHttpError(ServerStream stream, int httpStatus, String message) {
    Http2Headers headers = new DefaultHttp2Headers().status(Integer.toString(httpStatus));
    headers.add(HeadersCodec.CONTENT_TYPE, "text/plain; charset=utf-8");
    HeadersCodec.addStatus(headers, Status.INTERNAL.withDescription(message));
    endResponse(stream, headers);
  }

  private static void endResponse(ServerStream stream, Http2Headers headers) {
    stream.writeHeaders(headers, true);
    if (!stream.remoteClosed()) {
      stream.reset(Http2Error.NO_ERROR);
    }
    stream.connection().flush();
  }
}
