package dev.strand.client;

/**
 * How a channel's calls travel: gRPC over HTTP/2, the default, or one of the web protocols over
 * HTTP/1.1, for networks where HTTP/2 does not pass (a proxy that only speaks HTTP/1.1, a firewall
 * that inspects it). The web protocols need strand-web on the class or module path, and carry what
 * a browser's calls can: unary and server-streaming methods.
 */
public enum WireProtocol {
  /** gRPC over HTTP/2 (PROTOCOL-HTTP2.md). */
  GRPC,
  /** gRPC-Web, binary ({@code application/grpc-web+proto}), over HTTP/1.1 (PROTOCOL-WEB.md). */
  GRPC_WEB,
  /** Connect with protobuf messages ({@code application/proto}), over HTTP/1.1. */
  CONNECT
}
