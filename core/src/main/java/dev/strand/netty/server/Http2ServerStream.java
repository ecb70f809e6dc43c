package dev.strand.netty.server;

import dev.strand.netty.stream.DataSent;
import dev.strand.netty.stream.ServerStream;
import dev.strand.netty.stream.ServerStreamListener;
import dev.strand.netty.stream.StreamConnection;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;

/** A {@link ServerStream} on one HTTP/2 stream of a {@link ServerHandler}'s connection. */
public final class Http2ServerStream implements ServerStream {
  private boolean resetRead;

  private final ServerHandler handler;
  private final int id;
  private ServerStreamListener listener;

  Http2ServerStream(ServerHandler handler, int id) {
    this.handler = handler;
    this.id = id;
  }

  @Override
  public StreamConnection connection() {
    return handler;
  }

  @Override
  public void listen(ServerStreamListener listener) {
    this.listener = listener;
  }

  @Override
  public ChannelFuture writeHeaders(Http2Headers headers, boolean endOfStream) {
    return handler.writeHeaders(id, headers, endOfStream);
  }

  @Override
  public void writeData(ByteBuf data, DataSent sent) {
    handler.writeMessage(id, data, sent);
  }

  @Override
  public ChannelFuture writeLastData(ByteBuf data) {
    return handler.writeLastData(id, data);
  }

  @Override
  public void reset(Http2Error error) {
    handler.resetStream(id, error);
  }

  @Override
  public boolean remoteClosed() {
    return handler.remoteClosed(id);
  }

  @Override
  public void returnBytes(int bytes) {
    handler.returnBytes(id, bytes);
  }

  // ---- from the handler's frame listener ----

  /** The bytes to give back to the window at once: all of them when nobody listens. */
  int onDataRead(ByteBuf data, int padding, boolean endOfStream) {
    if (listener == null) {
      return data.readableBytes() + padding;
    }
    listener.onData(data.retain(), endOfStream);
    return padding;
  }

  /** A header block after the request's first: its trailers. */
  void onTrailersRead(boolean endOfStream) {
    if (listener != null) {
      listener.onData(handler.alloc().buffer(0), endOfStream);
    }
  }

  /** The client reset this stream. */
  boolean wasReset() {
    return resetRead;
  }

  void onResetRead(long errorCode) {
    resetRead = true;
    if (listener != null) {
      listener.onReset(errorCode);
    }
  }

  void onClosed() {
    if (listener != null) {
      listener.onClosed();
    }
  }
}
