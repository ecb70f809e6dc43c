package dev.strand.netty.stream;

import dev.strand.netty.framing.MessageFramer;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;

/**
 * One request and its response as the HTTP layer carries them, with no RPC protocol in it: a header
 * block in, bytes in, end of stream; header blocks and bytes out. A {@link ServerProtocol} (gRPC
 * today; gRPC-Web, Connect and transcoding next) turns it into a call: framing, trailers, status
 * encoding and content types are the protocol's. Event loop only, unless a method says otherwise.
 */
public interface ServerStream {

  /** The connection this stream is on. */
  StreamConnection connection();

  /** Where inbound bytes and the stream's end go; until it is set, bytes are dropped. */
  void listen(ServerStreamListener listener);

  /** Writes a header block, the last thing on the stream if {@code endOfStream}. */
  ChannelFuture writeHeaders(Http2Headers headers, boolean endOfStream);

  /**
   * Queues bytes behind what the stream already has queued, sent as the peer's flow-control windows
   * allow; {@code sent} hears when they have left for the channel, or that they never will. The
   * bytes before {@code data}'s reader index are the stream's to overwrite: where there are {@link
   * MessageFramer#HEADROOM} of them (as {@link MessageFramer} leaves), the first DATA frame's
   * header goes there and nothing is allocated for it.
   */
  void writeData(ByteBuf data, DataSent sent);

  /**
   * Queues the stream's last bytes behind what it already has queued, with END_STREAM: for
   * protocols whose response ends in the body rather than in trailers (gRPC-Web's trailer frame).
   * The future completes once they are written, or fails if the stream ended first.
   */
  ChannelFuture writeLastData(ByteBuf data);

  /** Ends the stream abruptly (no flush: the caller flushes when it is done writing). */
  void reset(Http2Error error);

  /** True once the peer has sent all it will (or the stream is gone). */
  boolean remoteClosed();

  /** Gives bytes the application has consumed back to the peer's window. */
  void returnBytes(int bytes);

  /**
   * How the server's own deadline ends a call here. False: the stream is reset, as gRPC over HTTP/2
   * does (the client's own deadline reports the status). True: DEADLINE_EXCEEDED goes to the client
   * as the call's status, for peers that would read a reset as a broken connection (gRPC-Web's
   * browser clients).
   */
  default boolean statusAtDeadline() {
    return false;
  }
}
