package dev.strand.web.seam;

import dev.strand.netty.grpc.GrpcServerProtocol;
import dev.strand.netty.grpc.MethodTable;
import dev.strand.netty.stream.ServerProtocol;
import dev.strand.netty.stream.ServerStream;
import dev.strand.server.ServerSettings;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.function.BiFunction;

/** What a web protocol's factory makes when its system property turns it off: it claims nothing. */
public enum ClaimsNothing implements ServerProtocol {
  INSTANCE;

  /**
   * What a web protocol's factory makes: unless {@code property} says "false", the protocol, over a
   * gRPC engine of its own whose calls say {@code protocolName} is where they came in.
   */
  public static ServerProtocol unlessDisabled(
      ServerSettings settings,
      String property,
      String protocolName,
      BiFunction<ServerSettings, GrpcServerProtocol, ServerProtocol> protocol) {
    if (!Boolean.parseBoolean(System.getProperty(property, "true"))) {
      return INSTANCE;
    }
    return protocol.apply(
        settings,
        new GrpcServerProtocol(settings, new MethodTable(settings.methods()), protocolName));
  }

  @Override
  public boolean accepts(Http2Headers requestHeaders) {
    return false;
  }

  @Override
  public void open(ServerStream stream, Http2Headers requestHeaders, boolean endOfStream) {
    throw new IllegalStateException("this protocol is turned off: it claims no request");
  }
}
