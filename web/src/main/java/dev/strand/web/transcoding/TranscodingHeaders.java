package dev.strand.web.transcoding;

import dev.strand.Metadata;
import dev.strand.netty.headers.HeadersCodec;
import dev.strand.web.transcoding.rules.HttpBinding;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import java.util.Map;
import java.util.Set;

/**
 * The rule between HTTP headers and gRPC metadata, both ways (docs/TRANSCODING.md).
 *
 * <p>In: every request header becomes metadata, as it would for a gRPC call ({@code authorization},
 * {@code x-request-id}, {@code -bin} ones base64-decoded), except those that describe the HTTP
 * exchange rather than the call: pseudo-headers, {@code content-type}, {@code content-length},
 * {@code accept}, {@code accept-encoding}, the hop-by-hop ones, and {@code grpc-encoding} / {@code
 * grpc-accept-encoding} (the message made here is not compressed). {@code grpc-timeout} sets the
 * call's deadline, as in gRPC.
 *
 * <p>Out: the call's response metadata, and for a unary call its trailing metadata too, become
 * response headers; {@code grpc-status}, {@code grpc-message} and {@code grpc-status-details-bin}
 * do not (the body carries the status). A streaming call's trailing metadata is not sent.
 */
final class TranscodingHeaders {
  static final AsciiString STATUS_DETAILS = AsciiString.cached("grpc-status-details-bin");

  private static final Set<String> NOT_METADATA =
      Set.of(
          "content-length",
          "accept",
          "accept-encoding",
          "keep-alive",
          "upgrade",
          "proxy-connection",
          "grpc-encoding",
          "grpc-accept-encoding");

  private TranscodingHeaders() {}

  static String contentType(Http2Headers request) {
    CharSequence type = request.get(HeadersCodec.CONTENT_TYPE);
    return type == null ? null : type.toString();
  }

  /** The gRPC request the engine serves: the rule's method, the request's metadata. */
  static Http2Headers asGrpc(Http2Headers request, HttpBinding binding) {
    Http2Headers grpc = new DefaultHttp2Headers(false);
    grpc.method(HeadersCodec.POST);
    grpc.path(binding.method().descriptor().path());
    if (request.scheme() != null) {
      grpc.scheme(request.scheme());
    }
    if (request.authority() != null) {
      grpc.authority(request.authority());
    }
    grpc.set(HeadersCodec.CONTENT_TYPE, HeadersCodec.APPLICATION_GRPC);
    for (Map.Entry<CharSequence, CharSequence> header : request) {
      CharSequence name = header.getKey();
      if (name.length() == 0
          || name.charAt(0) == ':'
          || HeadersCodec.CONTENT_TYPE.contentEqualsIgnoreCase(name)
          || NOT_METADATA.contains(name.toString())) {
        continue;
      }
      grpc.add(name, header.getValue());
    }
    return grpc;
  }

  /** An HTTP response head; {@code trailers} (a unary call's last block) may be null. */
  static Http2Headers response(
      int httpStatus, String contentType, Http2Headers metadata, Http2Headers trailers) {
    Http2Headers headers = new DefaultHttp2Headers().status(Integer.toString(httpStatus));
    headers.add(HeadersCodec.CONTENT_TYPE, contentType);
    addMetadata(headers, metadata);
    addMetadata(headers, trailers);
    return headers;
  }

  private static void addMetadata(Http2Headers headers, Http2Headers block) {
    if (block == null) {
      return;
    }
    Metadata metadata = HeadersCodec.toMetadata(block);
    metadata.remove(STATUS_DETAILS.toString());
    HeadersCodec.addMetadata(headers, metadata);
  }
}
