package dev.strand.netty.stream;

import dev.strand.server.ServerSettings;
import io.netty.handler.codec.http2.Http2Headers;

/**
 * An RPC protocol over {@link ServerStream}s: gRPC today; gRPC-Web, Connect and HTTP/JSON
 * transcoding next, each picked by the request's headers (its content type, mostly). One instance
 * serves every connection of a server. Event loop only.
 *
 * <p>A protocol comes to a server through a {@link Factory} found with {@link
 * java.util.ServiceLoader}: a module that brings one (the web protocols, say) adds it by being
 * there.
 */
public interface ServerProtocol {

  /** True if this protocol serves a request with these headers. */
  boolean accepts(Http2Headers requestHeaders);

  /**
   * Takes a new request: answers it at once (an error, say), or listens on the stream and starts a
   * call. {@code endOfStream}: the header block was all of the request.
   */
  void open(ServerStream stream, Http2Headers requestHeaders, boolean endOfStream);

  /** Makes a server's instance of a protocol; found with {@link java.util.ServiceLoader}. */
  interface Factory {

    /** The protocol for a server with these settings (its services, limits, tracer). */
    ServerProtocol create(ServerSettings settings);
  }
}
