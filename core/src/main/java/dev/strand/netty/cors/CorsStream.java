package dev.strand.netty.cors;

import dev.strand.netty.stream.ForwardingServerStream;
import dev.strand.netty.stream.ServerStream;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;

/**
 * The stream of a request from an allowed origin: its response's first header block, whatever the
 * protocol puts there (response headers, a Trailers-Only answer, an HTTP error), gets the CORS
 * headers; everything else passes through untouched. Event loop only, like the stream it wraps.
 */
final class CorsStream extends ForwardingServerStream {
  private final CorsHeaders cors;
  private final CharSequence origin;
  private boolean headersSent;

  CorsStream(ServerStream http, CorsHeaders cors, CharSequence origin) {
    super(http);
    this.cors = cors;
    this.origin = origin;
  }

  @Override
  public ChannelFuture writeHeaders(Http2Headers headers, boolean endOfStream) {
    if (headersSent) {
      return delegate.writeHeaders(headers, endOfStream);
    }
    headersSent = true;
    // A copy: protocols share header blocks they send unchanged between calls.
    Http2Headers withCors = new DefaultHttp2Headers(false, headers.size() + 5).add(headers);
    cors.addResponse(withCors, origin);
    return delegate.writeHeaders(withCors, endOfStream);
  }
}
