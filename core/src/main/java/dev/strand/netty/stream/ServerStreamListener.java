package dev.strand.netty.stream;

import io.netty.buffer.ByteBuf;

/** What a {@link ServerStream} tells the protocol serving it. Event loop only. */
public interface ServerStreamListener {

  /**
   * Request bytes, which the listener now owns; {@code endOfStream} when the peer has sent all. The
   * bytes count against the peer's window until given back with {@link ServerStream#returnBytes}. A
   * request's trailers end it as empty bytes with {@code endOfStream}: no protocol served here
   * reads request trailers.
   */
  void onData(ByteBuf data, boolean endOfStream);

  /** The peer reset the stream with this HTTP/2 error code. */
  void onReset(long errorCode);

  /** The stream is closed, however that came about; nothing more will arrive or leave. */
  void onClosed();
}
