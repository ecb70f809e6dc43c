package dev.strand.web.transcoding;

import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.ErrorDetailsProto;
import dev.strand.Status;
import dev.strand.netty.grpc.GrpcServerProtocol;
import dev.strand.netty.headers.HeadersCodec;
import dev.strand.netty.stream.ServerProtocol;
import dev.strand.netty.stream.ServerStream;
import dev.strand.protobuf.ProtoServiceSchema;
import dev.strand.server.ServerSettings;
import dev.strand.server.ServiceDefinition;
import dev.strand.web.seam.ClaimsNothing;
import dev.strand.web.transcoding.message.RequestMessages;
import dev.strand.web.transcoding.message.ResponseMessages;
import dev.strand.web.transcoding.openapi.OpenApiDocument;
import dev.strand.web.transcoding.path.PathMatcher;
import dev.strand.web.transcoding.rules.HttpBinding;
import dev.strand.web.transcoding.rules.HttpRoutes;
import dev.strand.web.transcoding.rules.HttpRules;
import io.netty.handler.codec.http2.Http2Headers;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * HTTP/JSON transcoding (google.api.http, http.proto) on a Strand server's own port: a REST request
 * whose method and path match a rule becomes a call of the rule's method, served by the server's
 * gRPC protocol and call engine through a translating {@link TranscodingStream}; so a transcoded
 * call has the same interceptors, deadlines, limits, exception mapping and tracer as a gRPC call.
 *
 * <p>Found with ServiceLoader, on when a service has rules: with none it claims nothing and the
 * server answers as before. {@code -Dstrand.transcoding=false} turns it off. The OpenAPI document
 * of the rules is served at {@code GET /openapi.json}; {@code -Dstrand.transcoding.openapi=PATH}
 * moves it, {@code =""} serves none.
 *
 * <p>Claims every request that is not for another protocol: no gRPC, gRPC-Web or Connect content
 * type, and not a POST to a gRPC method's own path ({@code /package.Service/Method}, which Connect
 * and gRPC answer). So an unknown path gets a JSON 404 and a known one with the wrong HTTP method a
 * 405, rather than gRPC's answers to a request that is not gRPC.
 */
public final class TranscodingProtocol implements ServerProtocol {
  /** The system property that turns transcoding off ("false"). */
  public static final String ENABLED_PROPERTY = "strand.transcoding";

  /** The system property naming the path the OpenAPI document is served at; "" for none. */
  public static final String OPENAPI_PROPERTY = "strand.transcoding.openapi";

  public static final String DEFAULT_OPENAPI_PATH = "/openapi.json";

  /** What a transcoded call's {@code ServerCall.CallInfo.protocol()} says. */
  public static final String PROTOCOL_NAME = "http-json";

  private final ServerSettings settings;
  private final HttpRoutes routes;
  private final GrpcServerProtocol grpc;
  private final RequestMessages requests;
  private final ResponseMessages responses;
  private final ErrorBody errors;
  private final String openApiPath;
  private final byte[] openApi;

  /** Found with ServiceLoader. */
  public static final class Factory implements ServerProtocol.Factory {
    @Override
    public ServerProtocol create(ServerSettings settings) {
      return ClaimsNothing.unlessDisabled(
          settings,
          ENABLED_PROPERTY,
          PROTOCOL_NAME,
          (s, grpc) -> {
            HttpRoutes routes = HttpRules.read(s.services(), s.methods());
            return routes.isEmpty()
                ? ClaimsNothing.INSTANCE
                : new TranscodingProtocol(s, routes, grpc);
          });
    }
  }

  TranscodingProtocol(ServerSettings settings, HttpRoutes routes, GrpcServerProtocol grpc) {
    this.settings = settings;
    this.routes = routes;
    this.grpc = grpc;
    JsonFormat.TypeRegistry types = typeRegistry(settings);
    this.requests = new RequestMessages(types);
    this.responses = new ResponseMessages(types);
    this.errors = new ErrorBody(responses);
    this.openApiPath = System.getProperty(OPENAPI_PROPERTY, DEFAULT_OPENAPI_PATH);
    this.openApi =
        openApiPath.isEmpty()
            ? null
            : OpenApiDocument.of(routes, "Strand transcoding", "v1")
                .getBytes(StandardCharsets.UTF_8);
  }

  /** Every message of the services' files (and their imports) and the standard error details. */
  private static JsonFormat.TypeRegistry typeRegistry(ServerSettings settings) {
    JsonFormat.TypeRegistry.Builder types = JsonFormat.TypeRegistry.newBuilder();
    types.add(ErrorDetailsProto.getDescriptor().getMessageTypes());
    for (ServiceDefinition service : settings.services()) {
      if (service.schemaDescriptor() instanceof ProtoServiceSchema schema) {
        addFile(types, schema.file());
      }
    }
    return types.build();
  }

  private static void addFile(JsonFormat.TypeRegistry.Builder types, FileDescriptor file) {
    types.add(file.getMessageTypes());
    for (FileDescriptor dependency : file.getDependencies()) {
      addFile(types, dependency);
    }
  }

  @Override
  public boolean accepts(Http2Headers headers) {
    CharSequence contentType = headers.get(HeadersCodec.CONTENT_TYPE);
    if (contentType != null) {
      String type = contentType.toString().toLowerCase(Locale.ROOT);
      if (type.startsWith("application/grpc") || type.startsWith("application/connect")) {
        return false;
      }
    }
    CharSequence path = headers.path();
    if (path == null) {
      return false;
    }
    String p = path.toString();
    int query = p.indexOf('?');
    String bare = query < 0 ? p : p.substring(0, query);
    // A gRPC method's own path belongs to gRPC (and Connect, which POSTs JSON there).
    return !(bare.length() > 1 && settings.methods().containsKey(bare.substring(1)));
  }

  @Override
  public void open(ServerStream stream, Http2Headers headers, boolean endOfStream) {
    String path = headers.path().toString();
    int q = path.indexOf('?');
    String rawPath = q < 0 ? path : path.substring(0, q);
    String query = q < 0 ? null : path.substring(q + 1);
    String method = headers.method() == null ? "" : headers.method().toString();
    if (openApi != null && rawPath.equals(openApiPath) && method.equals("GET")) {
      Answers.document(stream, "application/json", openApi);
      return;
    }
    PathMatcher.Result<HttpBinding> result = routes.matcher().match(method, rawPath);
    if (result instanceof PathMatcher.NotFound<HttpBinding>) {
      Answers.error(
          stream,
          404,
          errors.render(
              Status.NOT_FOUND.withDescription("no HTTP rule matches " + method + " " + rawPath),
              null),
          null);
      return;
    }
    if (result instanceof PathMatcher.WrongMethod<HttpBinding> wrong) {
      Answers.error(
          stream,
          405,
          errors.render(
              Status.UNIMPLEMENTED.withDescription(
                  method + " is not allowed on " + rawPath + "; allowed: " + wrong.allowed()),
              null),
          String.join(", ", wrong.allowed()));
      return;
    }
    PathMatcher.Found<HttpBinding> found = (PathMatcher.Found<HttpBinding>) result;
    HttpBinding binding = found.value();
    if (binding.proto().isClientStreaming()) {
      Answers.error(
          stream,
          501,
          errors.render(
              Status.UNIMPLEMENTED.withDescription(
                  "transcoding serves unary and server-streaming methods; "
                      + binding.fullMethodName()
                      + " is client-streaming or bidi"),
              null),
          null);
      return;
    }
    new TranscodingStream(this, stream, binding, found.values(), query, headers, endOfStream);
  }

  GrpcServerProtocol grpc() {
    return grpc;
  }

  RequestMessages requests() {
    return requests;
  }

  ResponseMessages responses() {
    return responses;
  }

  ErrorBody errors() {
    return errors;
  }

  int maxBodySize() {
    return settings.maxInboundMessageSize();
  }
}
