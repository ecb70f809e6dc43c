package dev.strand.bench;

import dev.strand.netty.loop.EventLoops;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.AbstractHttp2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;

/**
 * The ceiling: a bare Netty HTTP/2 server (the same Netty, transport and event-loop count as
 * Strand) that answers every request on any path with fixed bytes: the headers, the one gRPC-framed
 * SimpleResponse and the trailers a gRPC server would send. No gRPC at all, so the distance between
 * it and a gRPC server is that server's own cost.
 */
final class BareNettyServer implements AutoCloseable {
  private static final Http2Headers RESPONSE_HEADERS =
      new DefaultHttp2Headers()
          .status(AsciiString.cached("200"))
          .add(AsciiString.cached("content-type"), AsciiString.cached("application/grpc"));
  private static final Http2Headers TRAILERS =
      new DefaultHttp2Headers().add(AsciiString.cached("grpc-status"), AsciiString.cached("0"));

  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final Channel channel;

  private BareNettyServer(EventLoopGroup boss, EventLoopGroup workers, Channel channel) {
    this.boss = boss;
    this.workers = workers;
    this.channel = channel;
  }

  static BareNettyServer start(String host, int port, int responseSize)
      throws InterruptedException {
    byte[] body = Payloads.responseFor(Payloads.request(0, responseSize)).toByteArray();
    ByteBuf framed =
        Unpooled.unreleasableBuffer(
                Unpooled.directBuffer(5 + body.length)
                    .writeByte(0)
                    .writeInt(body.length)
                    .writeBytes(body))
            .asReadOnly();
    boolean epoll = EventLoops.usingEpoll();
    IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    Class<? extends ServerChannel> type =
        epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    EventLoopGroup boss =
        new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("bare-boss", true), factory);
    EventLoopGroup workers =
        new MultiThreadIoEventLoopGroup(0, new DefaultThreadFactory("bare", true), factory);
    Channel ch =
        new ServerBootstrap()
            .group(boss, workers)
            .channel(type)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel c) {
                    c.pipeline().addLast(new Builder(framed).build());
                  }
                })
            .bind(new InetSocketAddress(host, port))
            .sync()
            .channel();
    return new BareNettyServer(boss, workers, ch);
  }

  int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    boss.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
    workers.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }

  private static final class Builder
      extends AbstractHttp2ConnectionHandlerBuilder<Handler, Builder> {
    private final ByteBuf framed;

    Builder(ByteBuf framed) {
      this.framed = framed;
      // The same settings Strand's server announces by default.
      initialSettings(
          Http2Settings.defaultSettings()
              .maxConcurrentStreams(1000)
              .initialWindowSize(1024 * 1024)
              .maxHeaderListSize(8192));
    }

    @Override
    public Handler build() {
      return super.build();
    }

    @Override
    protected Handler build(
        Http2ConnectionDecoder decoder,
        Http2ConnectionEncoder encoder,
        Http2Settings initialSettings) {
      Handler handler = new Handler(decoder, encoder, initialSettings, framed);
      frameListener(handler.listener);
      return handler;
    }
  }

  private static final class Handler extends Http2ConnectionHandler {
    private final ByteBuf framed;
    final Http2FrameAdapter listener =
        new Http2FrameAdapter() {
          @Override
          public int onDataRead(
              ChannelHandlerContext ctx,
              int streamId,
              ByteBuf data,
              int padding,
              boolean endOfStream) {
            if (endOfStream) {
              respond(ctx, streamId);
            }
            return data.readableBytes() + padding;
          }

          @Override
          public void onHeadersRead(
              ChannelHandlerContext ctx,
              int streamId,
              Http2Headers headers,
              int padding,
              boolean endOfStream) {
            if (endOfStream) {
              respond(ctx, streamId);
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
              boolean endOfStream) {
            onHeadersRead(ctx, streamId, headers, padding, endOfStream);
          }
        };

    Handler(
        Http2ConnectionDecoder decoder,
        Http2ConnectionEncoder encoder,
        Http2Settings settings,
        ByteBuf framed) {
      super(decoder, encoder, settings);
      this.framed = framed;
    }

    private void respond(ChannelHandlerContext ctx, int streamId) {
      encoder().writeHeaders(ctx, streamId, RESPONSE_HEADERS, 0, false, ctx.voidPromise());
      encoder().writeData(ctx, streamId, framed.duplicate(), 0, false, ctx.voidPromise());
      encoder().writeHeaders(ctx, streamId, TRAILERS, 0, true, ctx.voidPromise());
      // Http2ConnectionHandler flushes in channelReadComplete: one flush per read batch.
    }
  }
}
