package dev.strand.netty.server;

import dev.strand.internal.exec.BlockingExecutors;
import dev.strand.internal.exec.FairShareExecutor;
import dev.strand.internal.server.ConnectionPolicy;
import dev.strand.internal.server.ResetBudget;
import dev.strand.netty.headers.InboundHeadersDecoder;
import dev.strand.netty.http2.GrpcConnectionHandler;
import dev.strand.netty.http2.HandlerBuilder;
import dev.strand.netty.loop.WriteQueue;
import dev.strand.netty.stream.ServerProtocol;
import dev.strand.netty.stream.ServerProtocols;
import dev.strand.netty.stream.ServerStream;
import dev.strand.netty.stream.StreamConnection;
import dev.strand.server.ServerSettings;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import io.netty.util.concurrent.EventExecutor;
import java.net.SocketAddress;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLSession;

/**
 * The server side of one HTTP/2 connection: turns each request stream into a {@link ServerStream}
 * and hands it to the protocol its headers select. Netty does framing, HPACK and flow control;
 * connection upkeep is {@link ConnectionLifecycle}'s; the RPC protocol is the {@link
 * ServerProtocol}'s.
 */
public final class ServerHandler extends GrpcConnectionHandler implements StreamConnection {
  /** RST_STREAM frames the client may send: 200 per 30 s, each completed call forgiving one. */
  private final ResetBudget resetBudget =
      new ResetBudget(200, java.util.concurrent.TimeUnit.SECONDS.toNanos(30));

  private final ServerSettings config;
  private final ServerProtocols protocols;
  private final Executor blockingExecutor;
  private final IntObjectMap<Http2ServerStream> streams = new IntObjectHashMap<>();
  private final ConnectionLifecycle lifecycle;
  private WriteQueue writeQueue;
  private boolean connectionWindowOpened;

  private ServerHandler(
      Http2ConnectionDecoder decoder,
      Http2ConnectionEncoder encoder,
      Http2Settings settings,
      InboundHeadersDecoder headersDecoder,
      ServerSettings config,
      ConnectionPolicy policy,
      ServerProtocols protocols,
      Executor blockingExecutor) {
    super(decoder, encoder, settings, headersDecoder);
    this.config = config;
    this.protocols = protocols;
    this.blockingExecutor =
        new FairShareExecutor(
            blockingExecutor,
            config.maxBlockingCallsPerConnection() > 0
                ? config.maxBlockingCallsPerConnection()
                : BlockingExecutors.perConnectionLimit(blockingExecutor));
    this.lifecycle = new ConnectionLifecycle(this, policy);
    decoder.frameListener(new FrameListener());
    connection()
        .addListener(
            new Http2ConnectionAdapter() {
              @Override
              public void onStreamActive(Http2Stream stream) {
                lifecycle.onStreamActive();
              }

              @Override
              public void onStreamClosed(Http2Stream stream) {
                Http2ServerStream closed = streams.remove(stream.id());
                if (closed != null) {
                  if (!closed.wasReset()) {
                    resetBudget.onCallCompleted();
                  }
                  closed.onClosed();
                }
                lifecycle.onStreamClosed(connection().numActiveStreams());
              }
            });
  }

  static ServerHandler create(
      ServerSettings config,
      ConnectionPolicy policy,
      ServerProtocols protocols,
      Executor blockingExecutor) {
    Http2Settings settings =
        new Http2Settings()
            .maxConcurrentStreams(config.maxConcurrentStreams())
            .initialWindowSize(config.initialStreamWindow())
            .maxHeaderListSize(config.maxHeaderListSize());
    return new HandlerBuilder<>(
            true,
            settings,
            (decoder, encoder, initial, headers) ->
                new ServerHandler(
                    decoder,
                    encoder,
                    initial,
                    headers,
                    config,
                    policy,
                    protocols,
                    blockingExecutor))
        .build();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
    this.writeQueue = new WriteQueue(ctx.channel());
    super.handlerAdded(ctx);
    lifecycle.start(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    lifecycle.onRead();
    super.channelRead(ctx, msg);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    lifecycle.stop();
    super.channelInactive(ctx);
  }

  /**
   * A malformed request header block fails while it is decoded, before Netty has opened its stream;
   * the DATA frames the client already sent behind it would then name a stream that "never
   * existed", a connection error that would fail every call on the connection. Opening the stream
   * first makes the error what RFC 9113 8.1.1 says it is: a reset of that stream alone. (Netty does
   * the same for header blocks over the size limit.)
   */
  @Override
  protected void onStreamError(
      ChannelHandlerContext ctx,
      boolean outbound,
      Throwable cause,
      Http2Exception.StreamException http2Ex) {
    int streamId = http2Ex.streamId();
    // Only for a header block that failed to decode: other frames (PRIORITY, WINDOW_UPDATE)
    // on an unused id must not open a stream (RFC 9113 5.1).
    if (!outbound
        && headersDecoder().failedToDecode(streamId)
        && connection().stream(streamId) == null
        && !connection().streamMayHaveExisted(streamId)) {
      try {
        connection().remote().createStream(streamId, true);
      } catch (Http2Exception notOpenable) {
        // Not an id the client may open: Netty answers it as an unknown stream.
      }
    }
    super.onStreamError(ctx, outbound, cause, http2Ex);
  }

  /** Starts the two-phase graceful GOAWAY; the channel closes when the calls in flight end. */
  void gracefulShutdown() {
    lifecycle.gracefulShutdown(-1, "server_shutdown");
  }

  boolean hasActiveCalls() {
    return !streams.isEmpty();
  }

  @Override
  public WriteQueue writeQueue() {
    return writeQueue;
  }

  @Override
  public EventExecutor eventLoop() {
    return ctx().executor();
  }

  @Override
  public ByteBufAllocator alloc() {
    return ctx().alloc();
  }

  @Override
  public ChannelPromise newPromise() {
    return ctx().newPromise();
  }

  @Override
  public void flush() {
    // Through the HTTP/2 handler's own flush: DATA waiting in the flow controller (a stream's last
    // DATA, say) goes out too, not only what was written past it.
    flush(ctx());
  }

  @Override
  public SocketAddress remoteAddress() {
    return ctx().channel().remoteAddress();
  }

  @Override
  public SocketAddress localAddress() {
    return ctx().channel().localAddress();
  }

  @Override
  public Executor blockingExecutor() {
    return blockingExecutor;
  }

  @Override
  public SSLSession sslSession() {
    SslHandler ssl = ctx().pipeline().get(SslHandler.class);
    return ssl == null ? null : ssl.engine().getSession();
  }

  ChannelFuture writeHeaders(int streamId, Http2Headers headers, boolean endStream) {
    return encoder().writeHeaders(ctx(), streamId, headers, 0, endStream, ctx().newPromise());
  }

  /** Netty's own DATA path, which can end the stream: the flow controller keeps it in order. */
  ChannelFuture writeLastData(int streamId, ByteBuf data) {
    return encoder().writeData(ctx(), streamId, data, 0, true, ctx().newPromise());
  }

  @Override
  public void onHeadersOrDataWritten() {
    lifecycle.onHeadersOrDataWritten();
  }

  void resetStream(int streamId, Http2Error error) {
    Http2Stream stream = connection().stream(streamId);
    if (stream != null) {
      resetStream(ctx(), streamId, error.code(), ctx().newPromise());
    }
  }

  /** True if the client has sent END_STREAM (or the stream is gone). */
  boolean remoteClosed(int streamId) {
    Http2Stream stream = connection().stream(streamId);
    return stream == null
        || stream.state() == Http2Stream.State.HALF_CLOSED_REMOTE
        || stream.state() == Http2Stream.State.CLOSED;
  }

  private void onRequestHeaders(int streamId, Http2Headers headers, boolean endStream) {
    Http2ServerStream existing = streams.get(streamId);
    if (existing != null) {
      existing.onTrailersRead(endStream);
      return;
    }
    Http2ServerStream stream = new Http2ServerStream(this, streamId);
    streams.put(streamId, stream);
    protocols.select(headers).open(stream, headers, endStream);
  }

  /** Receives frames from Netty's decoder. */
  private final class FrameListener extends Http2FrameAdapter {
    @Override
    public void onHeadersRead(
        ChannelHandlerContext ctx,
        int streamId,
        Http2Headers headers,
        int padding,
        boolean endStream) {
      onRequestHeaders(streamId, headers, endStream);
    }

    @Override
    public void onHeadersRead(
        ChannelHandlerContext ctx,
        int streamId,
        Http2Headers headers,
        int streamDependency,
        short weight,
        boolean exclusive,
        int padding,
        boolean endStream) {
      onRequestHeaders(streamId, headers, endStream);
    }

    @Override
    public int onDataRead(
        ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
      Http2ServerStream stream = streams.get(streamId);
      // Bytes a protocol listens for go back to the window as the application consumes them.
      return stream == null
          ? data.readableBytes() + padding
          : stream.onDataRead(data, padding, endOfStream);
    }

    @Override
    public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode)
        throws io.netty.handler.codec.http2.Http2Exception {
      Http2ServerStream stream = streams.get(streamId);
      if ((stream != null || connection().stream(streamId) != null)
          && !resetBudget.onReset(System.nanoTime())) {
        // Rapid Reset (CVE-2023-44487): a GOAWAY ENHANCE_YOUR_CALM and close, as Netty's limit.
        throw io.netty.handler.codec.http2.Http2Exception.connectionError(
            io.netty.handler.codec.http2.Http2Error.ENHANCE_YOUR_CALM,
            "Maximum number of RST frames reached");
      }
      if (stream != null) {
        stream.onResetRead(errorCode);
      }
    }

    @Override
    public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings)
        throws io.netty.handler.codec.http2.Http2Exception {
      rememberPeerSettings(settings);
      if (!connectionWindowOpened) {
        // Only once the peer has spoken HTTP/2: nothing is written to a silent connection.
        connectionWindowOpened = true;
        openConnectionWindow(config.initialStreamWindow());
      }
      lifecycle.onSettings();
    }

    @Override
    public void onPingRead(ChannelHandlerContext ctx, long data) {
      lifecycle.onPing(data);
    }

    @Override
    public void onPingAckRead(ChannelHandlerContext ctx, long data) {
      lifecycle.onPingAck(data);
    }
  }
}
