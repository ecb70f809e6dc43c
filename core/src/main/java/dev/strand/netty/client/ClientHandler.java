package dev.strand.netty.client;

import dev.strand.client.ChannelSettings;
import dev.strand.netty.headers.InboundHeadersDecoder;
import dev.strand.netty.http2.GrpcConnectionHandler;
import dev.strand.netty.http2.HandlerBuilder;
import dev.strand.netty.http2.KeepAlivePinger;
import dev.strand.netty.loop.WriteQueue;
import dev.strand.netty.stream.DataSent;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;

/**
 * The client side of one HTTP/2 connection. Streams beyond the server's concurrency limit are
 * queued by Netty's StreamBufferingEncoder rather than failed.
 */
public final class ClientHandler extends GrpcConnectionHandler {
  private final ClientConnection owner;
  private final int connectionWindow;
  private final IntObjectMap<NettyClientCall<?, ?>> calls = new IntObjectHashMap<>();
  private final ChannelSettings config;
  private final java.time.Duration keepAliveTime;
  private KeepAlivePinger pinger;
  private boolean flushing;
  private boolean streamStartedWhileFlushing;

  private ClientHandler(
      Http2ConnectionDecoder decoder,
      Http2ConnectionEncoder encoder,
      Http2Settings settings,
      InboundHeadersDecoder headersDecoder,
      ClientConnection owner,
      ChannelSettings config,
      java.time.Duration keepAliveTime) {
    super(decoder, encoder, settings, headersDecoder);
    this.config = config;
    this.keepAliveTime = keepAliveTime;
    this.owner = owner;
    this.connectionWindow = config.initialStreamWindow();
    decoder.frameListener(new FrameListener());
    connection()
        .addListener(
            new Http2ConnectionAdapter() {
              @Override
              public void onStreamActive(Http2Stream stream) {
                if (flushing) {
                  streamStartedWhileFlushing = true;
                }
              }

              @Override
              public void onStreamClosed(Http2Stream stream) {
                NettyClientCall<?, ?> call = calls.remove(stream.id());
                if (call != null) {
                  call.onStreamClosed();
                }
              }

              @Override
              public void onGoAwayReceived(int lastStreamId, long errorCode, ByteBuf debugData) {
                owner.onGoAway(
                    errorCode, debugData.toString(java.nio.charset.StandardCharsets.UTF_8));
              }
            });
  }

  static ClientHandler create(
      ClientConnection owner, ChannelSettings config, java.time.Duration keepAliveTime) {
    Http2Settings settings =
        new Http2Settings()
            .pushEnabled(false)
            .initialWindowSize(config.initialStreamWindow())
            .maxHeaderListSize(config.maxHeaderListSize())
            .maxConcurrentStreams(0);
    return new HandlerBuilder<>(
            false,
            settings,
            (decoder, encoder, initial, headers) ->
                new ClientHandler(decoder, encoder, initial, headers, owner, config, keepAliveTime))
        .bufferStreamsOverLimit()
        .build();
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    super.channelActive(ctx);
    openConnectionWindow(connectionWindow);
    ctx.flush();
    long settingsTimeout = config.backoff().minConnectTimeout().toNanos();
    ctx.executor()
        .schedule(
            () -> {
              if (!owner.ready().isDone()) {
                owner.failBeforeReady(
                    new java.io.IOException(
                        "server sent no HTTP/2 SETTINGS within "
                            + config.backoff().minConnectTimeout().toMillis()
                            + " ms of connecting"));
              }
            },
            settingsTimeout,
            java.util.concurrent.TimeUnit.NANOSECONDS);
    if (keepAliveTime != null) {
      pinger =
          new KeepAlivePinger(
              ctx,
              keepAliveTime.toNanos(),
              config.keepAliveTimeout().toNanos(),
              () -> config.keepAliveWithoutCalls() || connection().numActiveStreams() > 0,
              data -> {
                encoder().writePing(ctx, false, data, ctx.newPromise());
                ctx.flush();
              },
              () -> ctx.channel().close());
      pinger.start();
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (pinger != null) {
      pinger.onRead();
    }
    super.channelRead(ctx, msg);
  }

  @Override
  public WriteQueue writeQueue() {
    return owner.writeQueue();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (pinger != null) {
      pinger.stop();
    }
    try {
      super.channelInactive(ctx);
    } finally {
      // Calls whose HEADERS never left the buffering encoder have no stream to close.
      for (NettyClientCall<?, ?> call : calls.values().toArray(new NettyClientCall<?, ?>[0])) {
        call.onStreamClosed();
      }
      calls.clear();
      owner.onClosed();
    }
  }

  /** Allocates a stream id and registers the call; -1 if the connection ran out of ids. */
  int newStream(NettyClientCall<?, ?> call) {
    int id = connection().local().incrementAndGetNextStreamId();
    if (id < 0) {
      return -1;
    }
    calls.put(id, call);
    return id;
  }

  void forget(int streamId) {
    calls.remove(streamId);
  }

  ChannelFuture writeHeaders(int streamId, Http2Headers headers, boolean endStream) {
    return encoder().writeHeaders(ctx(), streamId, headers, 0, endStream, ctx().newPromise());
  }

  ChannelFuture writeData(int streamId, ByteBuf data, boolean endStream, ChannelPromise promise) {
    return encoder().writeData(ctx(), streamId, data, 0, endStream, promise);
  }

  /** The buffering encoder may be holding the stream back until the server allows more. */
  @Override
  public void writeMessageToUnopenedStream(int streamId, ByteBuf frame, DataSent sent) {
    if (connection().stream(streamId) != null) {
      super.writeMessageToUnopenedStream(streamId, frame, sent);
      return;
    }
    int bytes = frame.readableBytes();
    ChannelPromise promise = ctx().newPromise();
    promise.addListener(f -> sent.onSent(bytes, f.isSuccess()));
    writeData(streamId, frame, false, promise);
  }

  void resetStream(int streamId, Http2Error error) {
    // The buffering encoder also handles streams it has not created yet.
    encoder().writeRstStream(ctx(), streamId, error.code(), ctx().newPromise());
  }

  @Override
  public void flush(ChannelHandlerContext ctx) {
    // A stream closes when its RST_STREAM is written, inside a flush; a stream the buffering
    // encoder was holding back then takes its slot and writes its HEADERS, behind the flush.
    for (int round = 0; round < 4; round++) {
      flushing = true;
      try {
        super.flush(ctx);
      } finally {
        flushing = false;
      }
      if (!streamStartedWhileFlushing) {
        return;
      }
      streamStartedWhileFlushing = false;
    }
  }

  private final class FrameListener extends Http2FrameAdapter {
    @Override
    public void onHeadersRead(
        ChannelHandlerContext ctx,
        int streamId,
        Http2Headers headers,
        int padding,
        boolean endStream) {
      NettyClientCall<?, ?> call = calls.get(streamId);
      if (call != null) {
        call.onHeaders(headers, endStream);
      }
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
      onHeadersRead(ctx, streamId, headers, padding, endStream);
    }

    @Override
    public int onDataRead(
        ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
      NettyClientCall<?, ?> call = calls.get(streamId);
      if (call == null) {
        return data.readableBytes() + padding;
      }
      call.onData(data.retain(), endOfStream);
      return padding;
    }

    @Override
    public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
      NettyClientCall<?, ?> call = calls.get(streamId);
      if (call != null) {
        call.onReset(errorCode);
      }
    }

    @Override
    public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings) {
      rememberPeerSettings(settings);
      owner.onPeerSettings();
    }

    @Override
    public void onPingAckRead(ChannelHandlerContext ctx, long data) {
      if (pinger != null) {
        pinger.onPingAck(data);
      }
    }
  }
}
