/**
 * gRPC-Web for Strand servers: a protocol on core's server stream seam, found with ServiceLoader,
 * so a server with this module present serves gRPC-Web on its own port from the same services as
 * gRPC. Exports nothing: there is no API to call (docs/WEB.md).
 */
module dev.strand.web {
  requires dev.strand.core;
  requires io.netty.buffer;
  requires io.netty.codec.http2;
  requires io.netty.common;
  requires io.netty.transport;
  requires java.net.http;

  provides dev.strand.netty.stream.ServerProtocol.Factory with
      dev.strand.web.grpcweb.GrpcWebProtocol.Factory;
  provides dev.strand.client.ChannelTransport with
      dev.strand.web.client.WebChannelTransport;
}
