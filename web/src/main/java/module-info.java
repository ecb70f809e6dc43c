/**
 * The web protocols for Strand servers, and Strand's client over HTTP/1.1: gRPC-Web, Connect and
 * HTTP/JSON transcoding (google.api.http) are protocols on core's server stream seam, found with
 * ServiceLoader, so a server with this module present serves them on its own port from the same
 * services as gRPC. Exports only the OpenAPI generator (docs/WEB.md, docs/TRANSCODING.md).
 */
module dev.strand.web {
  requires dev.strand.core;
  requires io.netty.buffer;
  requires io.netty.codec.http2;
  requires io.netty.common;
  requires io.netty.transport;
  requires java.net.http;
  requires java.logging;
  requires dev.strand.protobuf;
  requires com.google.protobuf;
  requires com.google.protobuf.util;
  // protobuf-java-util's JSON parser needs gson, and as an automatic module it names no modules.
  requires com.google.gson;
  requires proto.google.common.protos;

  // The OpenAPI document of the google.api.http rules, for build tools (OpenApiWriter).
  exports dev.strand.web.transcoding.openapi;

  // Transcoding last: it claims what the others do not.
  provides dev.strand.netty.stream.ServerProtocol.Factory with
      dev.strand.web.grpcweb.GrpcWebProtocol.Factory,
      dev.strand.web.connect.ConnectProtocol.Factory,
      dev.strand.web.transcoding.TranscodingProtocol.Factory;
  provides dev.strand.client.ChannelTransport with
      dev.strand.web.client.WebChannelTransport;
}
