package dev.strand.web.connect;

import dev.strand.MethodDescriptor;
import dev.strand.MethodType;
import dev.strand.Status;
import dev.strand.netty.grpc.GrpcServerProtocol;
import dev.strand.netty.headers.HeadersCodec;
import dev.strand.netty.stream.ServerProtocol;
import dev.strand.netty.stream.ServerStream;
import dev.strand.server.ServerSettings;
import dev.strand.web.seam.ClaimsNothing;
import dev.strand.wire.CodecRegistry;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;

/**
 * The Connect protocol (CONNECT-PROTOCOL.md) on a Strand server's own port: unary calls as POST
 * ({@code application/proto}, {@code application/json}) or GET (methods free of side effects),
 * streaming calls as {@code application/connect+proto} / {@code +json}. It checks what Connect asks
 * of a request, then hands it as a gRPC request to the same call engine that serves gRPC, over a
 * stream that reshapes it: {@link UnaryStream} (bare messages, HTTP status errors) or {@link
 * StreamingStream} (gRPC's envelopes, an end-of-stream message). So interceptors, the tracer,
 * deadlines, limits and exception mapping hold for Connect unchanged; JSON calls only use the
 * method's JSON marshallers in place of its binary ones.
 *
 * <p>Found with ServiceLoader, like gRPC-Web. {@code -Dstrand.connect=false} turns it off.
 */
public final class ConnectProtocol implements ServerProtocol {
  /** The system property that turns Connect off ("false"). */
  public static final String ENABLED_PROPERTY = "strand.connect";

  /** What {@code ServerCall.CallInfo.protocol()} says for a Connect call. */
  public static final String PROTOCOL_NAME = "connect";

  private static final AsciiString GET = AsciiString.cached("GET");
  private static final Http2Headers ALLOW_POST = new DefaultHttp2Headers().add("allow", "POST");
  private static final Http2Headers ALLOW_GET_POST =
      new DefaultHttp2Headers().add("allow", "GET, POST");

  private final ServerSettings settings;
  private final ConnectMethods methods;
  private final GrpcServerProtocol grpc;

  /** Found with ServiceLoader. */
  public static final class Factory implements ServerProtocol.Factory {
    @Override
    public ServerProtocol create(ServerSettings settings) {
      return ClaimsNothing.unlessDisabled(
          settings, ENABLED_PROPERTY, PROTOCOL_NAME, ConnectProtocol::new);
    }
  }

  ConnectProtocol(ServerSettings settings, GrpcServerProtocol grpc) {
    this.settings = settings;
    this.methods = new ConnectMethods(settings);
    this.grpc = grpc;
  }

  /**
   * Connect's streaming content types whatever the path; a request that says it is Connect ({@code
   * connect-protocol-version}); and GET or a non-gRPC POST to one of the server's methods.
   * HTTP/JSON transcoding serves its own paths, so {@code application/json} elsewhere is not
   * claimed here.
   */
  @Override
  public boolean accepts(Http2Headers headers) {
    CharSequence contentType = headers.get(HeadersCodec.CONTENT_TYPE);
    if (isGrpcFamily(contentType)) {
      // Every gRPC call is asked here first: answered without parsing or allocating anything.
      return false;
    }
    if (ConnectContentType.isStreaming(contentType)
        || headers.contains(ConnectHeaders.PROTOCOL_VERSION)) {
      return true;
    }
    CharSequence path = headers.path();
    if (path == null) {
      return false;
    }
    if (GET.contentEqualsIgnoreCase(headers.method())) {
      return methods.at(GetRequest.pathOf(path)) != null;
    }
    return HeadersCodec.POST.contentEqualsIgnoreCase(headers.method()) && methods.at(path) != null;
  }

  /** gRPC's and gRPC-Web's content types: theirs to answer, even at a method's path. */
  private static boolean isGrpcFamily(CharSequence contentType) {
    return contentType != null
        && AsciiString.regionMatches(contentType, true, 0, "application/grpc", 0, 16);
  }

  @Override
  public void open(ServerStream stream, Http2Headers headers, boolean endOfStream) {
    if (GET.contentEqualsIgnoreCase(headers.method())) {
      openGet(stream, headers);
    } else if (HeadersCodec.POST.contentEqualsIgnoreCase(headers.method())) {
      openPost(stream, headers, endOfStream);
    } else {
      ConnectAnswers.httpError(
          stream,
          405,
          "Connect is served as POST (and GET for some methods), got " + headers.method(),
          ALLOW_GET_POST);
    }
  }

  private void openPost(ServerStream stream, Http2Headers headers, boolean endOfStream) {
    CharSequence contentTypeHeader = headers.get(HeadersCodec.CONTENT_TYPE);
    ConnectContentType type = ConnectContentType.parse(contentTypeHeader);
    if (type == null) {
      ConnectAnswers.httpError(
          stream,
          415,
          "unsupported content-type '"
              + contentTypeHeader
              + "': Connect is served as application/proto, application/json,"
              + " application/connect+proto or application/connect+json",
          null);
      return;
    }
    CharSequence version = headers.get(ConnectHeaders.PROTOCOL_VERSION);
    if (version != null && !"1".contentEquals(version)) {
      ConnectAnswers.error(
          stream,
          type,
          Status.INVALID_ARGUMENT.withDescription(
              "connect-protocol-version must be 1, got '" + version + "'"),
          null);
      return;
    }
    ConnectMethods.Info method = methods.at(headers.path());
    if (method == null) {
      ConnectAnswers.error(stream, type, notFound(headers.path()), null);
      return;
    }
    MethodType shape = method.method().descriptor().type();
    if (type.streaming() == (shape == MethodType.UNARY)) {
      ConnectAnswers.httpError(
          stream,
          415,
          method.method().descriptor().fullName()
              + (type.streaming()
                  ? " is a unary method: call it as application/proto or application/json"
                  : " is a streaming method: call it as application/connect+proto or"
                      + " application/connect+json"),
          null);
      return;
    }
    if (!servesCodec(stream, method, type)) {
      return;
    }
    if (shape == MethodType.BIDI_STREAMING && !stream.connection().fullDuplex()) {
      ConnectAnswers.error(
          stream,
          type,
          Status.UNIMPLEMENTED.withDescription(
              "bidi streaming needs HTTP/2: "
                  + method.method().descriptor().fullName()
                  + " cannot be called over HTTP/1.1"),
          null);
      return;
    }
    String encoding =
        stringOf(
            headers.get(
                type.streaming()
                    ? ConnectHeaders.STREAM_CONTENT_ENCODING
                    : ConnectHeaders.CONTENT_ENCODING));
    CharSequence accepted =
        headers.get(
            type.streaming()
                ? ConnectHeaders.STREAM_ACCEPT_ENCODING
                : ConnectHeaders.ACCEPT_ENCODING);
    Http2Headers grpcHeaders =
        grpcRequest(stream, type, headers, headers.path(), encoding, accepted);
    if (grpcHeaders == null) {
      return;
    }
    MethodDescriptor.Format<?, ?> format = formatOf(method, type);
    if (type.streaming()) {
      grpc.open(new StreamingStream(stream, type.header()), grpcHeaders, endOfStream, format);
      return;
    }
    UnaryStream unary =
        new UnaryStream(
            stream, type.header(), settings.maxInboundMessageSize(), isCompressed(encoding));
    grpc.open(unary, grpcHeaders, false, format);
    if (endOfStream) {
      unary.deliverWhole(Unpooled.EMPTY_BUFFER);
    }
  }

  private void openGet(ServerStream stream, Http2Headers headers) {
    GetRequest request;
    try {
      request = GetRequest.parse(headers.path());
    } catch (GetRequest.BadQueryException e) {
      if (e.unsupportedMedia) {
        ConnectAnswers.httpError(stream, 415, e.getMessage(), null);
      } else {
        ConnectAnswers.error(
            stream,
            ConnectContentType.UNARY_JSON,
            Status.INVALID_ARGUMENT.withDescription(e.getMessage()),
            null);
      }
      return;
    }
    ConnectMethods.Info method = methods.at(request.path());
    if (method == null) {
      ConnectAnswers.error(stream, ConnectContentType.UNARY_JSON, notFound(request.path()), null);
      return;
    }
    String name = method.method().descriptor().fullName();
    if (method.method().descriptor().type() != MethodType.UNARY) {
      ConnectAnswers.httpError(
          stream, 405, "GET is for unary methods only: " + name + " streams; use POST", ALLOW_POST);
      return;
    }
    if (!method.noSideEffects()) {
      ConnectAnswers.httpError(
          stream,
          405,
          "GET is for methods with idempotency_level = NO_SIDE_EFFECTS: "
              + name
              + " may have side effects; use POST",
          ALLOW_POST);
      return;
    }
    ConnectContentType type = new ConnectContentType(false, request.encoding());
    if (!servesCodec(stream, method, type)) {
      return;
    }
    Http2Headers grpcHeaders =
        grpcRequest(
            stream,
            type,
            headers,
            request.path(),
            request.compression(),
            headers.get(ConnectHeaders.ACCEPT_ENCODING));
    if (grpcHeaders == null) {
      return;
    }
    UnaryStream unary =
        new UnaryStream(
            stream,
            type.header(),
            settings.maxInboundMessageSize(),
            isCompressed(request.compression()));
    grpc.open(unary, grpcHeaders, false, formatOf(method, type));
    unary.deliverWhole(Unpooled.wrappedBuffer(request.message()));
  }

  /** The gRPC request for a Connect one, or null after answering a bad encoding or timeout. */
  private static Http2Headers grpcRequest(
      ServerStream stream,
      ConnectContentType type,
      Http2Headers headers,
      CharSequence path,
      String encoding,
      CharSequence accepted) {
    if (isCompressed(encoding) && CodecRegistry.getDefault().lookup(encoding) == null) {
      String supported = CodecRegistry.getDefault().acceptEncoding();
      Http2Headers extra = new DefaultHttp2Headers();
      extra.add(
          type.streaming() ? ConnectHeaders.STREAM_ACCEPT_ENCODING : ConnectHeaders.ACCEPT_ENCODING,
          supported);
      ConnectAnswers.error(
          stream,
          type,
          Status.UNIMPLEMENTED.withDescription(
              "compression '"
                  + encoding
                  + "' is not supported; supported: "
                  + supported
                  + ",identity"),
          extra);
      return null;
    }
    String timeout = null;
    CharSequence timeoutMs = headers.get(ConnectHeaders.TIMEOUT_MS);
    if (timeoutMs != null) {
      try {
        timeout = ConnectHeaders.grpcTimeout(timeoutMs);
      } catch (IllegalArgumentException e) {
        ConnectAnswers.error(
            stream, type, Status.INVALID_ARGUMENT.withDescription(e.getMessage()), null);
        return null;
      }
    }
    return ConnectHeaders.toGrpc(headers, path, encoding, accepted, timeout);
  }

  /** True if the method's messages come in the type's codec; else answered 415. */
  private static boolean servesCodec(
      ServerStream stream, ConnectMethods.Info method, ConnectContentType type) {
    String codec = type.codec();
    if (codec.equals("proto") || (codec.equals("json") && method.json() != null)) {
      return true;
    }
    String name = method.method().descriptor().fullName();
    ConnectAnswers.httpError(
        stream,
        415,
        codec.equals("json")
            ? name + " has no JSON form: its messages are not protobuf messages; use proto"
            : "unsupported codec '" + codec + "' for " + name + ": use proto or json",
        null);
    return false;
  }

  /** The call's messages in the request's codec. */
  private static MethodDescriptor.Format<?, ?> formatOf(
      ConnectMethods.Info method, ConnectContentType type) {
    return type.codec().equals("json") ? method.json() : method.proto();
  }

  private static boolean isCompressed(String encoding) {
    return encoding != null && !encoding.isEmpty() && !encoding.equals(CodecRegistry.IDENTITY);
  }

  private static String stringOf(CharSequence value) {
    return value == null ? null : value.toString().trim();
  }

  private static Status notFound(CharSequence path) {
    String name = path == null ? "" : path.toString();
    return Status.UNIMPLEMENTED.withDescription(
        "Method not found: " + (name.startsWith("/") ? name.substring(1) : name));
  }
}
