package dev.strand.netty.cors;

import dev.strand.netty.stream.DataSent;
import dev.strand.netty.stream.ServerStream;
import dev.strand.netty.stream.ServerStreamListener;
import dev.strand.netty.stream.StreamConnection;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;

/**
 * The stream of a request from an allowed origin: its response's first header block, whatever the
 * protocol puts there (response headers, a Trailers-Only answer, an HTTP error), gets the CORS
 * headers; everything else passes through untouched. Event loop only, like the stream it wraps.
 */
final class CorsStream implements ServerStream {
  private final ServerStream http;
  private final CorsHeaders cors;
  private final CharSequence origin;
  private boolean headersSent;

  CorsStream(ServerStream http, CorsHeaders cors, CharSequence origin) {
    this.http = http;
    this.cors = cors;
    this.origin = origin;
  }

  @Override
  public ChannelFuture writeHeaders(Http2Headers headers, boolean endOfStream) {
    if (headersSent) {
      return http.writeHeaders(headers, endOfStream);
    }
    headersSent = true;
    // A copy: protocols share header blocks they send unchanged between calls.
    Http2Headers withCors = new DefaultHttp2Headers(false, headers.size() + 5).add(headers);
    cors.addResponse(withCors, origin);
    return http.writeHeaders(withCors, endOfStream);
  }

  @Override
  public StreamConnection connection() {
    return http.connection();
  }

  @Override
  public void listen(ServerStreamListener listener) {
    http.listen(listener);
  }

  @Override
  public void writeData(ByteBuf data, DataSent sent) {
    http.writeData(data, sent);
  }

  @Override
  public ChannelFuture writeLastData(ByteBuf data) {
    return http.writeLastData(data);
  }

  @Override
  public void reset(Http2Error error) {
    http.reset(error);
  }

  @Override
  public boolean remoteClosed() {
    return http.remoteClosed();
  }

  @Override
  public void returnBytes(int bytes) {
    http.returnBytes(bytes);
  }

  @Override
  public boolean statusAtDeadline() {
    return http.statusAtDeadline();
  }
}
