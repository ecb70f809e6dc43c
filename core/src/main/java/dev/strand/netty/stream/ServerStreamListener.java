package dev.strand.netty.stream;

import dev.strand.Status;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.Http2Error;

/** What a {@link ServerStream} tells the protocol serving it. Event loop only. */
public interface ServerStreamListener {

  /**
   * Request bytes, which the listener now owns; {@code endOfStream} when the peer has sent all. The
   * bytes count against the peer's window until given back with {@link ServerStream#returnBytes}. A
   * request's trailers end it as empty bytes with {@code endOfStream}: no protocol served here
   * reads request trailers.
   */
  void onData(ByteBuf data, boolean endOfStream);

  /**
   * The request body could not be read in the encoding a stream between the HTTP layer and this
   * listener undoes (gRPC-Web's base64 text, say): the call ends with this status. By default, as
   * if the peer had reset the stream with PROTOCOL_ERROR.
   */
  default void onMalformed(Status status) {
    onReset(Http2Error.PROTOCOL_ERROR.code());
  }

  /** The peer reset the stream with this HTTP/2 error code. */
  void onReset(long errorCode);

  /** The stream is closed, however that came about; nothing more will arrive or leave. */
  void onClosed();
}
