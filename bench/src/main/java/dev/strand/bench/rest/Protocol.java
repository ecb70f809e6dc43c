package dev.strand.bench.rest;

/** How a call travels: the wire format, the HTTP version, and how h2load drives it. */
enum Protocol {
  /** gRPC: protobuf, length-prefixed, over HTTP/2 with prior knowledge, trailers. */
  GRPC("grpc", false),
  /** REST: JSON over HTTP/1.1 with keep-alive, from google.api.http rules (or Javalin's routes). */
  REST_H1("rest-h1", true),
  /** The same REST/JSON over HTTP/2 with prior knowledge. */
  REST_H2("rest-h2", false),
  /** Connect unary: POST /pkg.Service/Method, the request as JSON, over HTTP/1.1. */
  CONNECT_JSON("connect-json", true),
  /** Connect unary with a protobuf body (application/proto), over HTTP/1.1. */
  CONNECT_PROTO("connect-proto", true);

  final String label;
  final boolean http1;

  Protocol(String label, boolean http1) {
    this.label = label;
    this.http1 = http1;
  }

  /**
   * The load shape: HTTP/1.1 carries one exchange per connection at a time, so it gets 64
   * connections; HTTP/2 gets 4 connections of 32 concurrent streams (a client's usual few
   * connections, multiplexed).
   */
  int connections() {
    return http1 ? 64 : 4;
  }

  int streams() {
    return http1 ? 1 : 32;
  }
}
