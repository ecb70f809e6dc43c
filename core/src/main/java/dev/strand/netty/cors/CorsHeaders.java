package dev.strand.netty.cors;

import dev.strand.server.Cors;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A server's CORS answer, worked out once from its {@link Cors}: the header values every preflight
 * and every cross-origin response from an allowed origin carry (CONNECT-CORS.md).
 */
final class CorsHeaders {
  static final AsciiString ORIGIN = AsciiString.cached("origin");
  static final AsciiString REQUEST_METHOD = AsciiString.cached("access-control-request-method");
  static final AsciiString REQUEST_HEADERS = AsciiString.cached("access-control-request-headers");
  static final AsciiString ALLOW_ORIGIN = AsciiString.cached("access-control-allow-origin");
  static final AsciiString ALLOW_METHODS = AsciiString.cached("access-control-allow-methods");
  static final AsciiString ALLOW_HEADERS = AsciiString.cached("access-control-allow-headers");
  static final AsciiString ALLOW_CREDENTIALS =
      AsciiString.cached("access-control-allow-credentials");
  static final AsciiString EXPOSE_HEADERS = AsciiString.cached("access-control-expose-headers");
  static final AsciiString MAX_AGE = AsciiString.cached("access-control-max-age");
  static final AsciiString VARY = AsciiString.cached("vary");

  /**
   * gRPC-Web only POSTs; Connect GETs methods without side effects; HTTP/JSON transcoding's REST
   * rules use the rest. Allowing a method in a preflight grants nothing by itself: the request
   * still gets the answer its protocol gives it (a 405 where no rule takes that method).
   */
  static final List<String> METHODS = List.of("POST", "GET", "PUT", "PATCH", "DELETE");

  /**
   * What gRPC-Web and Connect clients send beyond the safelisted headers: connect-go's list, and
   * the compression headers both protocols negotiate with.
   */
  static final List<String> PROTOCOL_REQUEST_HEADERS =
      List.of(
          "content-type",
          "connect-protocol-version",
          "connect-timeout-ms",
          "connect-accept-encoding",
          "connect-content-encoding",
          "grpc-timeout",
          "grpc-accept-encoding",
          "grpc-encoding",
          "x-grpc-web",
          "x-user-agent");

  /**
   * What gRPC-Web and Connect clients must read: the status (gRPC-Web's Trailers-Only answers carry
   * it in the headers) and the compression in use.
   */
  static final List<String> PROTOCOL_RESPONSE_HEADERS =
      List.of(
          "grpc-status",
          "grpc-message",
          "grpc-status-details-bin",
          "grpc-encoding",
          "grpc-accept-encoding",
          "connect-content-encoding",
          "connect-accept-encoding");

  private static final AsciiString TRUE = AsciiString.cached("true");
  private static final AsciiString VARY_ORIGIN = AsciiString.cached("origin");
  private static final AsciiString VARY_PREFLIGHT =
      AsciiString.cached("origin, access-control-request-method, access-control-request-headers");

  final Cors cors;
  private final AsciiString allowMethods;
  private final AsciiString allowHeaders;
  private final AsciiString exposeHeaders;
  private final AsciiString maxAge;

  /** The request headers a preflight may ask for, lower-cased. */
  final Set<String> allowedRequestHeaders;

  CorsHeaders(Cors cors) {
    this.cors = cors;
    Set<String> request = new LinkedHashSet<>(PROTOCOL_REQUEST_HEADERS);
    request.addAll(cors.allowedHeaders());
    this.allowedRequestHeaders = Set.copyOf(request);
    List<String> response = new ArrayList<>(PROTOCOL_RESPONSE_HEADERS);
    for (String name : cors.exposedHeaders()) {
      response.add(name);
      // Connect's unary responses carry trailers as headers, each prefixed.
      response.add("trailer-" + name);
    }
    this.allowMethods = AsciiString.of(String.join(", ", METHODS));
    this.allowHeaders = AsciiString.of(String.join(", ", request));
    this.exposeHeaders = AsciiString.of(String.join(", ", response));
    this.maxAge = AsciiString.of(Long.toString(cors.maxAge().toSeconds()));
  }

  /** Adds what a preflight from an allowed origin is answered with. */
  void addPreflight(Http2Headers headers, CharSequence origin) {
    headers.add(ALLOW_ORIGIN, origin);
    if (cors.allowsCredentials()) {
      headers.add(ALLOW_CREDENTIALS, TRUE);
    }
    headers.add(ALLOW_METHODS, allowMethods);
    headers.add(ALLOW_HEADERS, allowHeaders);
    headers.add(MAX_AGE, maxAge);
    headers.add(VARY, VARY_PREFLIGHT);
  }

  /** Adds what a response to an allowed origin's request carries. */
  void addResponse(Http2Headers headers, CharSequence origin) {
    // The origin echoed, never '*': correct with credentials too, and Vary keeps caches apart.
    headers.add(ALLOW_ORIGIN, origin);
    if (cors.allowsCredentials()) {
      headers.add(ALLOW_CREDENTIALS, TRUE);
    }
    headers.add(EXPOSE_HEADERS, exposeHeaders);
    headers.add(VARY, VARY_ORIGIN);
  }
}
