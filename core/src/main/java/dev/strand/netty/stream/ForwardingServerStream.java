package dev.strand.netty.stream;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;

/**
 * A stream that passes everything to the one it wraps: the base of streams that change one thing on
 * the way (CORS headers, a protocol's framing) and must forward the rest, including what the seam
 * grows later.
 */
public abstract class ForwardingServerStream implements ServerStream {
  /** The stream underneath. */
  protected final ServerStream delegate;

  protected ForwardingServerStream(ServerStream delegate) {
    this.delegate = delegate;
  }

  @Override
  public StreamConnection connection() {
    return delegate.connection();
  }

  @Override
  public void listen(ServerStreamListener listener) {
    delegate.listen(listener);
  }

  @Override
  public ChannelFuture writeHeaders(Http2Headers headers, boolean endOfStream) {
    return delegate.writeHeaders(headers, endOfStream);
  }

  @Override
  public void writeData(ByteBuf data, DataSent sent) {
    delegate.writeData(data, sent);
  }

  @Override
  public ChannelFuture writeLastData(ByteBuf data) {
    return delegate.writeLastData(data);
  }

  @Override
  public void reset(Http2Error error) {
    delegate.reset(error);
  }

  @Override
  public boolean remoteClosed() {
    return delegate.remoteClosed();
  }

  @Override
  public void returnBytes(int bytes) {
    delegate.returnBytes(bytes);
  }

  @Override
  public boolean statusAtDeadline() {
    return delegate.statusAtDeadline();
  }
}
