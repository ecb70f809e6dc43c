package dev.strand.e2e;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A plain HTTP/2 server (Netty's frame codec, nothing gRPC) that answers every request the way a
 * test scripts it: for client-side tests against proxies, broken servers and non-gRPC peers. The
 * script runs on the event loop once the request stream has ended.
 */
final class RawHttp2Server implements AutoCloseable {

  /** Scripts the answer to one request. */
  @FunctionalInterface
  interface Responder {
    void respond(Exchange exchange) throws Exception;
  }

  /** A received RST_STREAM. */
  record Reset(int streamId, long errorCode) {}

  /** One request and the means to answer it. Event loop only. */
  static final class Exchange {
    private final ChannelHandlerContext ctx;
    private final Http2FrameStream stream;
    private final Http2Headers request;
    private final byte[] body;
    private ChannelFuture last;

    Exchange(
        ChannelHandlerContext ctx, Http2FrameStream stream, Http2Headers request, byte[] body) {
      this.ctx = ctx;
      this.stream = stream;
      this.request = request;
      this.body = body;
    }

    Http2Headers request() {
      return request;
    }

    byte[] requestBody() {
      return body.clone();
    }

    Exchange headers(Http2Headers headers, boolean endStream) {
      last = ctx.writeAndFlush(new DefaultHttp2HeadersFrame(headers, endStream).stream(stream));
      return this;
    }

    Exchange data(byte[] data, boolean endStream) {
      last =
          ctx.writeAndFlush(
              new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(data), endStream).stream(stream));
      return this;
    }

    Exchange resetStream(Http2Error error) {
      last = ctx.writeAndFlush(new DefaultHttp2ResetFrame(error).stream(stream));
      return this;
    }

    /**
     * A GOAWAY whose last stream id is {@code lastStreamId}, written as raw bytes past the frame
     * codec (which would compute the id itself), then the connection closed: streams above it were
     * never processed.
     */
    void goAwayAndClose(int lastStreamId) {
      io.netty.buffer.ByteBuf frame = ctx.alloc().buffer(17);
      frame.writeMedium(8).writeByte(0x7).writeByte(0).writeInt(0);
      frame.writeInt(lastStreamId).writeInt((int) Http2Error.NO_ERROR.code());
      last = ctx.channel().writeAndFlush(frame);
      closeConnection();
    }

    /** Closes the TCP connection (FIN) once what was written is out: no GOAWAY, no trailers. */
    void closeConnection() {
      Channel ch = ctx.channel();
      Runnable close = () -> ch.unsafe().close(ch.unsafe().voidPromise());
      if (last == null) {
        close.run();
      } else {
        last.addListener(f -> close.run());
      }
    }

    /** Like {@link #closeConnection} but with SO_LINGER 0: the client sees a TCP RST. */
    void resetConnection() {
      ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
      closeConnection();
    }
  }

  // ---- Canned responders ----

  /** A plain HTTP answer with no grpc-status: headers and, if there is a body, one DATA frame. */
  static Responder http(int status, String contentType, String body) {
    return ex -> {
      Http2Headers h = new DefaultHttp2Headers().status(Integer.toString(status));
      if (contentType != null) {
        h.add("content-type", contentType);
      }
      if (body == null || body.isEmpty()) {
        ex.headers(h, true);
      } else {
        ex.headers(h, false).data(body.getBytes(StandardCharsets.UTF_8), true);
      }
    };
  }

  /** Response headers (200, application/grpc), then these DATA bytes, then these trailers. */
  static Responder grpc(byte[] data, Http2Headers trailers) {
    return ex -> {
      ex.headers(grpcResponseHeaders(), false);
      if (data != null && data.length > 0) {
        ex.data(data, trailers == null);
      }
      if (trailers != null) {
        ex.headers(trailers, true);
      }
    };
  }

  static Http2Headers grpcResponseHeaders() {
    return new DefaultHttp2Headers().status("200").add("content-type", "application/grpc");
  }

  private final EventLoopGroup group;
  private final Channel serverChannel;
  private final ChannelGroup connections;
  private final BlockingQueue<Http2Headers> requests = new LinkedBlockingQueue<>();
  private final BlockingQueue<Reset> resets = new LinkedBlockingQueue<>();
  private final BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();

  private RawHttp2Server(EventLoopGroup group, Channel serverChannel, ChannelGroup connections) {
    this.group = group;
    this.serverChannel = serverChannel;
    this.connections = connections;
  }

  /** Listens on 127.0.0.1 at a free port. */
  static RawHttp2Server start(Responder responder) throws InterruptedException {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    RawHttp2Server[] self = new RawHttp2Server[1];
    ServerBootstrap b =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    connections.add(ch);
                    ch.pipeline()
                        .addLast(
                            Http2FrameCodecBuilder.forServer()
                                .gracefulShutdownTimeoutMillis(0)
                                .build());
                    ch.pipeline().addLast(self[0].new Handler(responder));
                  }
                });
    try {
      Channel ch = b.bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
      self[0] = new RawHttp2Server(group, ch, connections);
      return self[0];
    } catch (RuntimeException | InterruptedException e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e;
    }
  }

  int port() {
    return ((InetSocketAddress) serverChannel.localAddress()).getPort();
  }

  /** The next request's headers, or null if none arrives in time. */
  Http2Headers awaitRequest(Duration timeout) throws InterruptedException {
    return requests.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** The next RST_STREAM the client sent, or null if none arrives in time. */
  Reset awaitReset(Duration timeout) throws InterruptedException {
    return resets.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** An exception a responder threw or the connection hit, if any. */
  Throwable responderError() {
    return errors.peek();
  }

  @Override
  public void close() throws InterruptedException {
    serverChannel.close().await(5, TimeUnit.SECONDS);
    connections.close().await(5, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
  }

  /** Collects each request and runs the responder when its stream ends. */
  private final class Handler extends ChannelInboundHandlerAdapter {
    private final Responder responder;
    private final Map<Integer, Http2Headers> heads = new HashMap<>();
    private final Map<Integer, ByteArrayOutputStream> bodies = new HashMap<>();

    Handler(Responder responder) {
      this.responder = responder;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        if (msg instanceof Http2HeadersFrame h) {
          int id = h.stream().id();
          if (!heads.containsKey(id)) {
            heads.put(id, h.headers());
            bodies.put(id, new ByteArrayOutputStream());
            requests.add(h.headers());
          }
          if (h.isEndStream()) {
            respond(ctx, h.stream());
          }
        } else if (msg instanceof Http2DataFrame d) {
          int id = d.stream().id();
          ByteArrayOutputStream body = bodies.get(id);
          if (body != null) {
            body.writeBytes(ByteBufUtil.getBytes(d.content()));
          }
          if (d.initialFlowControlledBytes() > 0) {
            ctx.writeAndFlush(
                new DefaultHttp2WindowUpdateFrame(d.initialFlowControlledBytes())
                    .stream(d.stream()));
          }
          if (d.isEndStream()) {
            respond(ctx, d.stream());
          }
        } else if (msg instanceof Http2ResetFrame r) {
          resets.add(new Reset(r.stream().id(), r.errorCode()));
          heads.remove(r.stream().id());
          bodies.remove(r.stream().id());
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    private void respond(ChannelHandlerContext ctx, Http2FrameStream stream) {
      Http2Headers request = heads.remove(stream.id());
      ByteArrayOutputStream body = bodies.remove(stream.id());
      if (request == null) {
        return;
      }
      try {
        responder.respond(new Exchange(ctx, stream, request, body.toByteArray()));
      } catch (Exception | AssertionError e) {
        errors.add(e);
        ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.INTERNAL_ERROR).stream(stream));
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      errors.add(cause);
      ctx.close();
    }
  }
}
