package dev.strand.netty.server;

import dev.strand.internal.exec.BlockingExecutors;
import dev.strand.internal.exec.FairShareExecutor;
import dev.strand.internal.wire.HeaderNames;
import dev.strand.netty.loop.WriteQueue;
import dev.strand.netty.stream.ServerProtocols;
import dev.strand.netty.stream.StreamConnection;
import dev.strand.server.ServerSettings;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLSession;

/**
 * The server side of one HTTP/1.1 connection: each request becomes an {@link Http1ServerStream},
 * handed to the protocol its headers select, as {@link ServerHandler} does for HTTP/2 streams.
 * Requests are served one after another on a kept-alive connection; a request pipelined behind one
 * still being answered waits for it. gRPC itself needs HTTP/2 and is refused here with 505.
 */
public final class Http1ServerHandler extends ChannelInboundHandlerAdapter
    implements StreamConnection {
  private static final Logger log = Logger.getLogger(Http1ServerHandler.class.getName());

  /** A request line longer than this (a long path, mostly) is answered 414. */
  private static final int MAX_REQUEST_LINE = 16 * 1024;

  private final ServerProtocols protocols;
  private final Executor blockingExecutor;

  /** How many request bytes a stream may hold before reading stops: the HTTP/2 stream window. */
  private final int window;

  private ChannelHandlerContext ctx;
  private WriteQueue writeQueue;
  private Http1ServerStream current;

  /** Messages of requests pipelined behind the current one, decoded from the same read. */
  private final ArrayDeque<Object> waiting = new ArrayDeque<>();

  /** The server is shutting down: the connection closes once the current request is answered. */
  private boolean closing;

  /** The head timeout, the idle and age limits. */
  private final Http1Lifetime lifetime;

  Http1ServerHandler(ServerSettings config, ServerProtocols protocols, Executor blockingExecutor) {
    this.protocols = protocols;
    this.window = config.initialStreamWindow();
    this.lifetime = new Http1Lifetime(config);
    this.blockingExecutor =
        new FairShareExecutor(
            blockingExecutor,
            config.maxBlockingCallsPerConnection() > 0
                ? config.maxBlockingCallsPerConnection()
                : BlockingExecutors.perConnectionLimit(blockingExecutor));
  }

  /** The handlers of an HTTP/1.1 connection, in pipeline order. */
  static ChannelHandler[] pipeline(
      ServerSettings config, ServerProtocols protocols, Executor blockingExecutor) {
    HttpDecoderConfig limits =
        new HttpDecoderConfig()
            .setMaxInitialLineLength(MAX_REQUEST_LINE)
            .setMaxHeaderSize(config.maxHeaderListSize());
    return new ChannelHandler[] {
      new HttpServerCodec(limits),
      new HttpServerExpectContinueHandler(),
      new Http1ServerHandler(config, protocols, blockingExecutor)
    };
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.writeQueue = new WriteQueue(ctx.channel());
    lifetime.start(ctx, this::gracefulShutdown);
    lifetime.awaitingRequest();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    writeQueue.readStarted();
    if (!waiting.isEmpty() || (current != null && current.requestEnded())) {
      // The next request, pipelined: it waits until this one is answered.
      waiting.add(msg);
      updateReading();
      return;
    }
    handle(msg);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    writeQueue.readComplete();
    ctx.flush();
  }

  private void handle(Object msg) {
    if (msg instanceof HttpRequest request) {
      lifetime.requestStarted();
      if (request.decoderResult().isFailure()) {
        ReferenceCountUtil.release(msg);
        refuse(badRequestStatus(request.decoderResult().cause()), "malformed HTTP/1.1 request");
        return;
      }
      startRequest(request);
    }
    if (msg instanceof HttpContent content) {
      if (current == null) {
        content.release();
      } else {
        current.onContent(content);
      }
    } else if (!(msg instanceof HttpRequest)) {
      ReferenceCountUtil.release(msg);
    }
    updateReading();
  }

  private void startRequest(HttpRequest request) {
    Http2Headers headers = asHttp2(request);
    if (HeaderNames.isGrpcContentType(headers.get(HttpHeaderNames.CONTENT_TYPE))) {
      // PROTOCOL-HTTP2.md: gRPC is HTTP/2 only; its trailers have no place in HTTP/1.1.
      refuse(
          HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED,
          "gRPC requires HTTP/2; this request came over " + request.protocolVersion());
      return;
    }
    current = new Http1ServerStream(this, HttpUtil.isKeepAlive(request));
    protocols.select(headers).open(current, headers, false);
  }

  /**
   * The request as an HTTP/2 header block, which is what protocols read: the request line and Host
   * as pseudo-headers, the rest lower-cased, HTTP/1.1's connection-specific headers dropped.
   */
  private Http2Headers asHttp2(HttpRequest request) {
    Http2Headers headers =
        new DefaultHttp2Headers(false)
            .method(request.method().asciiName())
            .path(request.uri())
            .scheme(sslSession() == null ? "http" : "https");
    String host = request.headers().get(HttpHeaderNames.HOST);
    if (host != null) {
      headers.authority(host);
    }
    HttpConversionUtil.toHttp2Headers(request.headers(), headers);
    return headers;
  }

  /** Reads on while the current request's bytes fit its window and it has not ended. */
  void updateReading() {
    boolean read =
        waiting.isEmpty()
            && (current == null || (!current.requestEnded() && current.heldBytes() < window));
    if (ctx.channel().config().isAutoRead() != read) {
      ctx.channel().config().setAutoRead(read);
    }
  }

  /** The current request and its response are both done: on to the next, or close. */
  void streamDone(Http1ServerStream stream, boolean keepAlive) {
    if (stream != current) {
      return;
    }
    current = null;
    if (!keepAlive || closing) {
      ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    // Bounded: each pass takes a message out, and stops once a request waits for its answer.
    while (!waiting.isEmpty() && (current == null || !current.requestEnded())) {
      handle(waiting.poll());
    }
    if (current == null) {
      lifetime.awaitingRequest();
    }
    updateReading();
  }

  /**
   * Starts closing, when the server shuts down or the connection is past its age: now if no request
   * is in progress, else once it is answered.
   */
  void gracefulShutdown() {
    closing = true;
    if (current == null) {
      ctx.close();
    }
  }

  /** Answers a request that is not served at all, then closes: its body is not read. */
  private void refuse(HttpResponseStatus status, String message) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            status,
            Unpooled.copiedBuffer(message + "\n", StandardCharsets.UTF_8));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
    response.headers().set(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }

  private static HttpResponseStatus badRequestStatus(Throwable cause) {
    if (cause instanceof TooLongHttpHeaderException) {
      return HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
    }
    return cause instanceof TooLongHttpLineException
        ? HttpResponseStatus.REQUEST_URI_TOO_LONG
        : HttpResponseStatus.BAD_REQUEST;
  }

  /** True once the connection closes after its current response: it says so in its head. */
  boolean closing() {
    return closing;
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    lifetime.stop();
    if (current != null) {
      current.onConnectionClosed();
      current = null;
    }
    while (!waiting.isEmpty()) {
      ReferenceCountUtil.release(waiting.poll());
    }
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (!(cause instanceof IOException)) {
      // Not the peer going away: a bug, worth seeing.
      log.log(Level.WARNING, "closing HTTP/1.1 connection " + ctx.channel(), cause);
    }
    ctx.close();
  }

  ChannelHandlerContext ctx() {
    return ctx;
  }

  /** The status line's reason phrase would be HTTP/2's numeric :status. */
  static HttpResponseStatus status(CharSequence code) {
    return HttpResponseStatus.valueOf(AsciiString.of(code).parseInt());
  }

  // ---- StreamConnection ----

  @Override
  public EventExecutor eventLoop() {
    return ctx.executor();
  }

  @Override
  public ByteBufAllocator alloc() {
    return ctx.alloc();
  }

  @Override
  public WriteQueue writeQueue() {
    return writeQueue;
  }

  @Override
  public ChannelPromise newPromise() {
    return ctx.newPromise();
  }

  @Override
  public void flush() {
    ctx.flush();
  }

  /** HTTP/1.1 peers announce no limit. */
  @Override
  public long peerMaxHeaderListSize() {
    return Long.MAX_VALUE;
  }

  @Override
  public Executor blockingExecutor() {
    return blockingExecutor;
  }

  @Override
  public SocketAddress remoteAddress() {
    return ctx.channel().remoteAddress();
  }

  @Override
  public SocketAddress localAddress() {
    return ctx.channel().localAddress();
  }

  /** A client sends its whole HTTP/1.1 request before it reads the response. */
  @Override
  public boolean fullDuplex() {
    return false;
  }

  @Override
  public SSLSession sslSession() {
    SslHandler ssl = ctx.pipeline().get(SslHandler.class);
    return ssl == null ? null : ssl.engine().getSession();
  }
}
