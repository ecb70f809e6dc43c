package dev.strand.netty.http2;

import dev.strand.netty.headers.InboundHeadersDecoder;
import dev.strand.netty.loop.DrainingPeers;
import dev.strand.netty.loop.WriteQueue;
import dev.strand.netty.stream.DataSent;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameSizePolicy;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import java.io.IOException;
import javax.net.ssl.SSLException;

/** What the server's and the client's connection handlers share. Event loop only. */
public abstract class GrpcConnectionHandler extends Http2ConnectionHandler {
  private ChannelHandlerContext ctx;
  private long peerMaxHeaderListSize = Long.MAX_VALUE;

  private final Http2Connection connection;

  /** Holds the largest frame payload the peer takes (its SETTINGS_MAX_FRAME_SIZE). */
  private final Http2FrameSizePolicy frameSizePolicy;

  private final InboundHeadersDecoder headersDecoder;
  private final FrameHeaderArena dataFrameHeaders = new FrameHeaderArena();
  private final DrainingPeers.Peer peer = new DrainingPeers.Peer();

  /** Bound once, as every message written is handed it. */
  private final Runnable headersOrDataWritten = this::onHeadersOrDataWritten;

  public GrpcConnectionHandler(
      Http2ConnectionDecoder decoder,
      Http2ConnectionEncoder encoder,
      Http2Settings settings,
      InboundHeadersDecoder headersDecoder) {
    super(decoder, encoder, settings);
    this.connection = encoder.connection();
    this.frameSizePolicy = encoder.configuration().frameSizePolicy();
    this.headersDecoder = headersDecoder;
    setCumulator(ReadCumulator.INSTANCE);
    if (encoder.frameWriter() instanceof FrameWriter writer) {
      writer.onHeadersWritten(headersOrDataWritten);
    }
    connection.addListener(
        new Http2ConnectionAdapter() {
          @Override
          public void onGoAwaySent(int lastStreamId, long errorCode, ByteBuf debugData) {
            // Netty's own GOAWAYs (connection errors) come through here as well as Strand's.
            GoAwayLog.sent(ctx.channel(), lastStreamId, errorCode, debugData);
          }
        });
  }

  /**
   * A HEADERS or DATA frame is being written to the channel: after flow control, so perhaps long
   * after the call queued it.
   */
  public void onHeadersOrDataWritten() {}

  /** The decoder of this connection's header blocks, which HandlerBuilder put in its codec. */
  public InboundHeadersDecoder headersDecoder() {
    return headersDecoder;
  }

  /** Held here: Netty's version asks the encoder, through each of its decorators, every time. */
  @Override
  public Http2Connection connection() {
    return connection;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
    this.ctx = ctx;
    super.handlerAdded(ctx);
  }

  public ChannelHandlerContext ctx() {
    return ctx;
  }

  /** Netty removes every handler once the channel is closed, so this runs on every connection. */
  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) throws Exception {
    try {
      super.handlerRemoved0(ctx);
    } finally {
      dataFrameHeaders.release();
    }
  }

  /** The connection's write queue; null on a client until its connection is constructed. */
  public abstract WriteQueue writeQueue();

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    WriteQueue queue = writeQueue();
    if (queue != null) {
      queue.readStarted();
    }
    super.channelRead(ctx, msg);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
    // Before the flush that follows: what that flush itself sets off (an on-ready handler
    // writing more, say) must schedule a flush of its own.
    WriteQueue queue = writeQueue();
    if (queue != null) {
      queue.readComplete();
    }
    super.channelReadComplete(ctx);
  }

  /**
   * The peer's SETTINGS_MAX_HEADER_LIST_SIZE (unbounded until it says). Netty's encoder enforces it
   * only on clients, and there by failing the stream without a word, so both sides check it
   * themselves before writing a header block.
   */
  public long peerMaxHeaderListSize() {
    return peerMaxHeaderListSize;
  }

  /** Call from the frame listener's onSettingsRead. */
  public void rememberPeerSettings(Http2Settings settings) {
    Long maxHeaderListSize = settings.maxHeaderListSize();
    if (maxHeaderListSize != null) {
      peerMaxHeaderListSize = maxHeaderListSize;
    }
  }

  /** Widens the connection window to {@code size}, so one stream can use all of it. */
  public void openConnectionWindow(int size) throws Http2Exception {
    Http2Stream connectionStream = connection().connectionStream();
    int delta = size - connection().local().flowController().windowSize(connectionStream);
    if (delta > 0) {
      connection().local().flowController().incrementWindowSize(connectionStream, delta);
    }
  }

  /**
   * Queues one framed message as DATA on its stream, behind whatever the stream already has queued;
   * {@code sent} hears when it has left for the channel, or that it never will.
   */
  public void writeMessage(int streamId, ByteBuf frame, DataSent sent) {
    Http2Stream stream = connection.stream(streamId);
    Http2Stream.State state = stream == null ? null : stream.state();
    if (state == Http2Stream.State.OPEN || state == Http2Stream.State.HALF_CLOSED_REMOTE) {
      encoder()
          .flowController()
          .addFlowControlled(
              stream,
              new MessageWrite(
                  frameSizePolicy,
                  dataFrameHeaders,
                  streamId,
                  frame,
                  sent,
                  peer,
                  headersOrDataWritten));
    } else {
      writeMessageToUnopenedStream(streamId, frame, sent);
    }
  }

  /** A message for a stream that is not open for sending: dropped (a client may differ). */
  public void writeMessageToUnopenedStream(int streamId, ByteBuf frame, DataSent sent) {
    int bytes = frame.readableBytes();
    frame.release();
    sent.onSent(bytes, false);
  }

  /** Gives consumed bytes back to the stream's and the connection's flow-control windows. */
  public void returnBytes(int streamId, int bytes) {
    Http2Stream stream = connection().stream(streamId);
    if (stream != null && bytes > 0) {
      try {
        connection().local().flowController().consumeBytes(stream, bytes);
      } catch (Http2Exception e) {
        onError(ctx, false, e);
      }
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
    if (cause instanceof IOException && !(cause instanceof SSLException)) {
      // A peer that resets or drops the connection is ordinary: close quietly.
      ctx.close();
      return;
    }
    super.exceptionCaught(ctx, cause);
  }
}
