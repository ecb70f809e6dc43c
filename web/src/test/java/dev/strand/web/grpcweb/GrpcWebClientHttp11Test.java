package dev.strand.web.grpcweb;

/**
 * The same calls over HTTP/1.1 on the same cleartext port, as a browser on an http:// page makes
 * them (browsers speak HTTP/2 only over TLS): connect-es's HTTP/1.1 transport, keep-alive
 * connections, chunked responses with the trailers in the body.
 */
class GrpcWebClientHttp11Test extends GrpcWebClientTest {
  @Override
  String httpVersion() {
    return "1.1";
  }
}
