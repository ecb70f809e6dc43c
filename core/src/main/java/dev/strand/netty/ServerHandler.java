package dev.strand.netty;

import dev.strand.Deadline;
import dev.strand.Metadata;
import dev.strand.Status;
import dev.strand.server.ServerMethod;
import dev.strand.server.ServerSettings;
import dev.strand.wire.Codec;
import dev.strand.wire.CodecRegistry;
import dev.strand.wire.GrpcTimeout;
import dev.strand.wire.HeaderNames;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
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
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;

/**
 * The server side of one HTTP/2 connection: turns streams into gRPC calls. Netty does framing,
 * HPACK and connection flow control; this class does the gRPC protocol on top.
 */
final class ServerHandler extends GrpcConnectionHandler {
  private final ServerSettings config;
  private final MethodTable methods;
  private final Executor blockingExecutor;
  private final IntObjectMap<NettyServerCall<?, ?>> calls = new IntObjectHashMap<>();
  private final ConnectionLifecycle lifecycle;
  private WriteQueue writeQueue;
  private boolean connectionWindowOpened;

  private ServerHandler(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder,
      Http2Settings settings, InboundHeadersDecoder headersDecoder, ServerSettings config,
      ConnectionPolicy policy, MethodTable methods, Executor blockingExecutor) {
    super(decoder, encoder, settings, headersDecoder);
    this.config = config;
    this.methods = methods;
    this.blockingExecutor = new FairShareExecutor(blockingExecutor,
        config.maxBlockingCallsPerConnection() > 0 ? config.maxBlockingCallsPerConnection()
            : BlockingExecutors.perConnectionLimit(blockingExecutor));
    this.lifecycle = new ConnectionLifecycle(this, policy);
    decoder.frameListener(new FrameListener());
    connection().addListener(new Http2ConnectionAdapter() {
      @Override
      public void onStreamActive(Http2Stream stream) {
        lifecycle.onStreamActive();
      }

      @Override
      public void onStreamClosed(Http2Stream stream) {
        NettyServerCall<?, ?> call = calls.remove(stream.id());
        if (call != null) {
          call.onStreamClosed();
        }
        lifecycle.onStreamClosed(connection().numActiveStreams());
      }
    });
  }

  static ServerHandler create(ServerSettings config, ConnectionPolicy policy, MethodTable methods,
      Executor blockingExecutor) {
    Http2Settings settings = new Http2Settings()
        .maxConcurrentStreams(config.maxConcurrentStreams())
        .initialWindowSize(config.initialStreamWindow())
        .maxHeaderListSize(config.maxHeaderListSize());
    return new HandlerBuilder<>(true, settings, (decoder, encoder, initial, headers) ->
        new ServerHandler(decoder, encoder, initial, headers, config, policy, methods,
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
   * A malformed request header block fails while it is decoded, before Netty has opened its
   * stream; the DATA frames the client already sent behind it would then name a stream that
   * "never existed", a connection error that would fail every call on the connection. Opening
   * the stream first makes the error what RFC 9113 8.1.1 says it is: a reset of that stream
   * alone. (Netty does the same for header blocks over the size limit.)
   */
  @Override
  protected void onStreamError(ChannelHandlerContext ctx, boolean outbound, Throwable cause,
      Http2Exception.StreamException http2Ex) {
    int streamId = http2Ex.streamId();
    // Only for a header block that failed to decode: other frames (PRIORITY, WINDOW_UPDATE)
    // on an unused id must not open a stream (RFC 9113 5.1).
    if (!outbound && headersDecoder().failedToDecode(streamId)
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
    return !calls.isEmpty();
  }

  java.util.List<dev.strand.server.ServiceDefinition> services() {
    return config.services();
  }

  dev.strand.server.ExceptionMapper exceptionMapper() {
    return config.exceptionMapper();
  }

  dev.strand.spi.ServerCallTracer tracer() {
    return config.tracer();
  }

  @Override
  WriteQueue writeQueue() {
    return writeQueue;
  }

  Executor blockingExecutor() {
    return blockingExecutor;
  }

  SSLSession sslSession() {
    SslHandler ssl = ctx().pipeline().get(SslHandler.class);
    return ssl == null ? null : ssl.engine().getSession();
  }

  ChannelFuture writeHeaders(int streamId, Http2Headers headers, boolean endStream) {
    return encoder().writeHeaders(ctx(), streamId, headers, 0, endStream, ctx().newPromise());
  }

  @Override
  void onHeadersOrDataWritten() {
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
    return stream == null || stream.state() == Http2Stream.State.HALF_CLOSED_REMOTE
        || stream.state() == Http2Stream.State.CLOSED;
  }

  private void onRequestHeaders(int streamId, Http2Headers headers, boolean endStream) {
    NettyServerCall<?, ?> existing = calls.get(streamId);
    if (existing != null) {
      // A second header block is the client's trailers: it only ends the request stream.
      existing.onData(ctx().alloc().buffer(0), endStream);
      return;
    }
    if (!HeadersCodec.POST.contentEqualsIgnoreCase(headers.method())) {
      respondHttpError(streamId, 405, "gRPC requires POST, got " + headers.method());
      return;
    }
    CharSequence contentType = headers.get(HeadersCodec.CONTENT_TYPE);
    if (!HeaderNames.isGrpcContentType(contentType)) {
      respondHttpError(streamId, 415, "unsupported content-type '" + contentType
          + "': gRPC needs application/grpc");
      return;
    }
    CharSequence path = headers.path();
    ServerMethod<?, ?> method = findMethod(streamId, path);
    if (method == null) {
      return;
    }
    Deadline deadline = null;
    CharSequence timeout = headers.get(HeadersCodec.GRPC_TIMEOUT);
    if (timeout != null) {
      try {
        deadline = Deadline.after(GrpcTimeout.decode(timeout), TimeUnit.NANOSECONDS);
      } catch (IllegalArgumentException e) {
        respondStatus(streamId, Status.INTERNAL.withDescription(e.getMessage()), null);
        return;
      }
    }
    Codec codec = null;
    CharSequence encoding = headers.get(HeadersCodec.GRPC_ENCODING);
    if (encoding != null && !CodecRegistry.IDENTITY.contentEquals(encoding)) {
      codec = CodecRegistry.getDefault().lookup(encoding.toString());
      if (codec == null) {
        Http2Headers extra = new DefaultHttp2Headers();
        extra.add(HeadersCodec.GRPC_ACCEPT_ENCODING, CodecRegistry.getDefault().acceptEncoding());
        respondStatus(streamId, Status.UNIMPLEMENTED.withDescription(
            "grpc-encoding '" + encoding + "' is not supported"), extra);
        return;
      }
    }
    Metadata metadata = HeadersCodec.toMetadata(headers);
    CharSequence accepted = headers.get(HeadersCodec.GRPC_ACCEPT_ENCODING);
    NettyServerCall<?, ?> call = new NettyServerCall<>(this, streamId, method, deadline, codec,
        headers.authority(), config.maxInboundMessageSize(), accepted == null ? "" : accepted);
    if (config.compression() != null) {
      call.setCompression(config.compression());
    }
    calls.put(streamId, call);
    call.start(metadata);
    if (endStream) {
      call.onData(ctx().alloc().buffer(0), true);
    }
  }

  /** The method a :path names, or null after answering UNIMPLEMENTED. */
  private ServerMethod<?, ?> findMethod(int streamId, CharSequence path) {
    ServerMethod<?, ?> method = path == null ? null : methods.find(path);
    if (method == null) {
      boolean wellFormed = path != null && path.length() > 1 && path.charAt(0) == '/';
      respondStatus(streamId, Status.UNIMPLEMENTED.withDescription(wellFormed
          ? methodNotFound(path.subSequence(1, path.length()).toString())
          : "malformed :path '" + path + "'"), null);
      return null;
    }
    return method;
  }

  private static String methodNotFound(String fullName) {
    return "Method not found: " + fullName;
  }

  /** Answers a call that failed before it began, Trailers-Only. */
  private void respondStatus(int streamId, Status status, Http2Headers extra) {
    Http2Headers headers = new DefaultHttp2Headers().status(HeadersCodec.STATUS_200);
    headers.add(HeadersCodec.CONTENT_TYPE, HeadersCodec.APPLICATION_GRPC);
    HeadersCodec.addStatus(headers, status);
    if (extra != null) {
      headers.add(extra);
    }
    endResponse(streamId, headers);
  }

  /** Answers a request that is not gRPC at all with a plain HTTP error (and a gRPC status). */
  private void respondHttpError(int streamId, int httpStatus, String message) {
    Http2Headers headers = new DefaultHttp2Headers().status(Integer.toString(httpStatus));
    headers.add(HeadersCodec.CONTENT_TYPE, "text/plain; charset=utf-8");
    HeadersCodec.addStatus(headers, Status.INTERNAL.withDescription(message));
    endResponse(streamId, headers);
  }

  private void endResponse(int streamId, Http2Headers headers) {
    writeHeaders(streamId, headers, true);
    if (!remoteClosed(streamId)) {
      resetStream(streamId, Http2Error.NO_ERROR);
    }
    ctx().flush();
  }

  /** Receives frames from Netty's decoder. */
  private final class FrameListener extends Http2FrameAdapter {
    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers,
        int padding, boolean endStream) {
      onRequestHeaders(streamId, headers, endStream);
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers,
        int streamDependency, short weight, boolean exclusive, int padding, boolean endStream) {
      onRequestHeaders(streamId, headers, endStream);
    }

    @Override
    public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding,
        boolean endOfStream) {
      NettyServerCall<?, ?> call = calls.get(streamId);
      if (call == null) {
        return data.readableBytes() + padding;
      }
      call.onData(data.retain(), endOfStream);
      // Message bytes go back to the window as the application consumes them.
      return padding;
    }

    @Override
    public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
      NettyServerCall<?, ?> call = calls.get(streamId);
      if (call != null) {
        call.onReset(errorCode);
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
