package dev.strand.web.seam;

import dev.strand.netty.stream.ForwardingServerStream;
import dev.strand.netty.stream.ServerStream;
import dev.strand.netty.stream.ServerStreamListener;
import io.netty.buffer.ByteBuf;

/**
 * A web protocol's request as the gRPC call engine sees it: a stream between the HTTP one and the
 * engine that translates what the protocol frames differently, and passes the rest through, which
 * is what this class does by default. Web clients read a reset as a broken connection, so the
 * server's deadline ends a call with a status ({@link #statusAtDeadline}). Event loop only, like
 * the stream it wraps.
 */
public abstract class TranslatingStream extends ForwardingServerStream
    implements ServerStreamListener {
  /** The HTTP stream the request came on. */
  protected final ServerStream http;

  /** The engine's call, once it listens. */
  protected ServerStreamListener call;

  protected TranslatingStream(ServerStream http) {
    super(http);
    this.http = http;
    http.listen(this);
  }

  // ---- the gRPC engine's side: ServerStream, passed through but for these ----

  @Override
  public void listen(ServerStreamListener listener) {
    this.call = listener;
  }

  @Override
  public boolean statusAtDeadline() {
    return true;
  }

  // ---- the HTTP stream's side: ServerStreamListener ----

  @Override
  public void onData(ByteBuf data, boolean endOfStream) {
    if (call == null) {
      // Nobody reads it: the request was answered at once.
      http.returnBytes(data.readableBytes());
      data.release();
      return;
    }
    call.onData(data, endOfStream);
  }

  @Override
  public void onReset(long errorCode) {
    if (call != null) {
      call.onReset(errorCode);
    }
  }

  @Override
  public void onClosed() {
    if (call != null) {
      call.onClosed();
    }
  }
}
