package dev.strand.web.grpcweb;

/**
 * The same calls over HTTP/1.1 on TLS, the client offering ALPN http/1.1 as a browser falling back
 * from HTTP/2 does: the server's ALPN offers h2 first, then http/1.1.
 */
class GrpcWebClientTlsHttp11Test extends GrpcWebClientTlsTest {
  @Override
  String httpVersion() {
    return "1.1";
  }
}
