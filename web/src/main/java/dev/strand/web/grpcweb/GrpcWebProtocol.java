package dev.strand.web.grpcweb;

import dev.strand.Status;
import dev.strand.netty.grpc.GrpcServerProtocol;
import dev.strand.netty.headers.HeadersCodec;
import dev.strand.netty.stream.ServerProtocol;
import dev.strand.netty.stream.ServerStream;
import dev.strand.server.ServerMethod;
import dev.strand.server.ServerSettings;
import dev.strand.web.seam.ClaimsNothing;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.Locale;

/**
 * gRPC-Web (PROTOCOL-WEB.md) on a Strand server's own port: claims requests by their {@code
 * application/grpc-web*} content type, checks what gRPC-Web can carry, and hands the rest to the
 * server's gRPC protocol through a translating {@link GrpcWebStream}, so a gRPC-Web call is a gRPC
 * call in everything but its framing on the wire.
 *
 * <p>Found with ServiceLoader: a server with strand-web on its class or module path serves gRPC-Web
 * with no code change. {@code -Dstrand.grpcWeb=false} turns it off.
 */
public final class GrpcWebProtocol implements ServerProtocol {
  /** The system property that turns gRPC-Web off ("false"). */
  public static final String ENABLED_PROPERTY = "strand.grpcWeb";

  /** What {@code ServerCall.CallInfo.protocol()} says for a gRPC-Web call. */
  public static final String PROTOCOL_NAME = "grpc-web";

  private static final String ACCEPT = "accept";

  private final ServerSettings settings;
  private final GrpcServerProtocol grpc;

  /** Found with ServiceLoader. */
  public static final class Factory implements ServerProtocol.Factory {
    @Override
    public ServerProtocol create(ServerSettings settings) {
      return ClaimsNothing.unlessDisabled(
          settings, ENABLED_PROPERTY, PROTOCOL_NAME, GrpcWebProtocol::new);
    }
  }

  GrpcWebProtocol(ServerSettings settings, GrpcServerProtocol grpc) {
    this.settings = settings;
    this.grpc = grpc;
  }

  @Override
  public boolean accepts(Http2Headers requestHeaders) {
    return GrpcWebContentType.parse(requestHeaders.get(HeadersCodec.CONTENT_TYPE)) != null;
  }

  @Override
  public void open(ServerStream stream, Http2Headers headers, boolean endOfStream) {
    GrpcWebContentType type = GrpcWebContentType.parse(headers.get(HeadersCodec.CONTENT_TYPE));
    if (!HeadersCodec.POST.contentEqualsIgnoreCase(headers.method())) {
      WebAnswers.httpError(
          stream, 405, "gRPC-Web requires POST, got " + headers.method(), WebAnswers.ALLOW_POST);
      return;
    }
    if (!type.isProto()) {
      WebAnswers.httpError(
          stream,
          415,
          "unsupported content-type '"
              + headers.get(HeadersCodec.CONTENT_TYPE)
              + "': gRPC-Web is served as application/grpc-web[-text][+proto]",
          null);
      return;
    }
    boolean textResponse = type.text() || acceptsText(headers.get(ACCEPT));
    ServerMethod<?, ?> method = methodAt(headers.path());
    if (method != null && !method.descriptor().type().clientSendsOneMessage()) {
      WebAnswers.trailersOnly(
          stream,
          type.responseHeader(textResponse),
          Status.UNIMPLEMENTED.withDescription(
              "gRPC-Web does not support client streaming: "
                  + method.descriptor().fullName()
                  + " is a "
                  + method.descriptor().type().name().toLowerCase(Locale.ROOT).replace('_', '-')
                  + " method"));
      return;
    }
    // Unknown methods, bad timeouts and encodings: gRPC's own answers, in gRPC-Web's framing.
    grpc.open(new GrpcWebStream(stream, type, textResponse), asGrpc(headers), endOfStream);
  }

  /** The same request as gRPC would have it: only the content type differs. */
  private static Http2Headers asGrpc(Http2Headers web) {
    Http2Headers grpc = new DefaultHttp2Headers(false);
    grpc.add(web);
    grpc.set(HeadersCodec.CONTENT_TYPE, HeadersCodec.APPLICATION_GRPC);
    return grpc;
  }

  /** A client may ask for a text response to a binary request (PROTOCOL-WEB.md, Accept). */
  private static boolean acceptsText(CharSequence accept) {
    return accept != null
        && accept.toString().toLowerCase(Locale.ROOT).contains("application/grpc-web-text");
  }

  private ServerMethod<?, ?> methodAt(CharSequence path) {
    if (path == null || path.length() < 2 || path.charAt(0) != '/') {
      return null;
    }
    return settings.methods().get(path.subSequence(1, path.length()).toString());
  }
}
