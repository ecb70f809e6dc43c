/**
 * Strand's core: the API services and clients are written against, the SPI for what plugs in
 * (transports, call tracers), and, not exported, the call engine, client connection management,
 * wire helpers and the Netty transport, found through the transport SPI.
 */
// "module": the qualified exports name strand-web, which is not there when core compiles.
@SuppressWarnings("module")
module dev.strand.core {
  requires io.netty.buffer;
  requires io.netty.codec;
  requires io.netty.codec.http;
  requires io.netty.codec.http2;
  requires io.netty.common;
  requires io.netty.handler;
  requires io.netty.resolver;
  requires io.netty.resolver.dns;
  requires io.netty.codec.dns;
  requires io.netty.transport;
  requires io.netty.transport.classes.epoll;
  requires io.netty.transport.unix.common;
  requires java.logging;
  requires org.slf4j;

  // The API.
  exports dev.strand;
  exports dev.strand.client;
  exports dev.strand.interceptor;
  exports dev.strand.server;
  exports dev.strand.stub;
  // Compression codecs a user may add (Codec, CodecRegistry).
  exports dev.strand.wire;
  // What plugs in: call tracers (OpenTelemetry builds on them).
  exports dev.strand.spi;

  // dev.strand.internal.* and dev.strand.netty.* are not exported: a user never needs them, and
  // they change without notice.

  // Except to Strand's own protocol modules: strand-web serves gRPC-Web on the server stream seam
  // and reuses the gRPC call engine under it. Qualified, so no application can read them.
  exports dev.strand.netty.stream to
      dev.strand.web;
  exports dev.strand.netty.grpc to
      dev.strand.web;
  exports dev.strand.netty.headers to
      dev.strand.web;
  exports dev.strand.netty.loop to
      dev.strand.web;
  // Its client speaks the web protocols over HTTP/1.1 with the same wire rules (timeouts,
  // percent-encoding, reserved headers, HTTP-to-gRPC status mapping) and reads Connect's JSON.
  exports dev.strand.internal.wire to
      dev.strand.web;
  exports dev.strand.internal.json to
      dev.strand.web;

  uses dev.strand.server.ServerTransport;
  uses dev.strand.client.ChannelTransport;
  uses dev.strand.netty.stream.ServerProtocol.Factory;
  uses dev.strand.spi.NameResolverProvider;
  uses dev.strand.spi.LoadBalancerProvider;

  provides dev.strand.server.ServerTransport with
      dev.strand.netty.NettyTransport.ForServers;
  provides dev.strand.client.ChannelTransport with
      dev.strand.netty.NettyTransport.ForChannels;
  provides dev.strand.spi.NameResolverProvider with
      dev.strand.netty.dns.DnsResolverProvider;
}
