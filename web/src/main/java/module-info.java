/**
 * gRPC-Web and HTTP/JSON transcoding for Strand servers: protocols on core's server stream seam,
 * found with ServiceLoader, so a server with this module present serves gRPC-Web, and REST for the
 * methods with {@code google.api.http} rules, on its own port from the same services as gRPC.
 * Exports only the OpenAPI generator (docs/WEB.md, docs/TRANSCODING.md).
 */
module dev.strand.web {
  requires dev.strand.core;
  requires io.netty.buffer;
  requires io.netty.codec.http2;
  requires io.netty.common;
  requires io.netty.transport;
  requires java.net.http;
  requires java.logging;
  requires com.google.protobuf;
  requires com.google.protobuf.util;
  requires com.google.gson;
  requires proto.google.common.protos;
  requires dev.strand.protobuf;

  // The OpenAPI document of the google.api.http rules, for build tools (OpenApiWriter).
  exports dev.strand.web.transcoding.openapi;

  provides dev.strand.netty.stream.ServerProtocol.Factory with
      dev.strand.web.grpcweb.GrpcWebProtocol.Factory,
      dev.strand.web.transcoding.TranscodingProtocol.Factory;
  provides dev.strand.client.ChannelTransport with
      dev.strand.web.client.WebChannelTransport;
}
