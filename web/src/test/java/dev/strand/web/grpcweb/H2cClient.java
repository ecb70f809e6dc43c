package dev.strand.web.grpcweb;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bare HTTP/2 client without TLS (prior knowledge) on Netty's codec, for requests no gRPC-Web
 * library would send: each request's headers and body exactly as the test writes them, each
 * response as it came, DATA frame by DATA frame.
 */
public final class H2cClient implements AutoCloseable {
  public static final Duration WAIT = Duration.ofSeconds(10);

  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Map<Integer, Response> responses = new ConcurrentHashMap<>();
  private final AtomicInteger nextStreamId = new AtomicInteger(1);
  private final Channel channel;
  private final Http2ConnectionHandler handler;

  /** One response: its header blocks, DATA frames and how the stream ended. */
  public static final class Response {
    public Http2Headers headers;
    public Http2Headers trailers;
    public final List<byte[]> dataFrames = new ArrayList<>();
    public final ByteArrayOutputStream body = new ByteArrayOutputStream();
    public Long resetCode;
    final CompletableFuture<Response> done = new CompletableFuture<>();

    public String status() {
      return headers == null ? null : String.valueOf(headers.status());
    }

    public String header(String name) {
      CharSequence value = headers == null ? null : headers.get(name);
      return value == null ? null : value.toString();
    }

    public byte[] bodyBytes() {
      return body.toByteArray();
    }

    @Override
    public String toString() {
      return "headers="
          + headers
          + " trailers="
          + trailers
          + " reset="
          + resetCode
          + " body="
          + ByteBufUtil.hexDump(body.toByteArray());
    }
  }

  public H2cClient(int port) throws InterruptedException {
    handler =
        new Http2ConnectionHandlerBuilder()
            .server(false)
            .initialSettings(new Http2Settings().initialWindowSize(16 * 1024 * 1024))
            .frameListener(new Listener())
            .gracefulShutdownTimeoutMillis(0)
            .build();
    channel =
        new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(handler);
                  }
                })
            .connect("127.0.0.1", port)
            .sync()
            .channel();
  }

  /** Request headers for a POST to a method, with this content type. */
  public static Http2Headers post(String method, String contentType) {
    return new DefaultHttp2Headers()
        .method("POST")
        .scheme("http")
        .path("/" + method)
        .authority("127.0.0.1")
        .add("content-type", contentType);
  }

  /** Sends a request whose body is these pieces, one DATA frame each; END_STREAM on the last. */
  public Response send(Http2Headers headers, byte[]... body) throws Exception {
    int id = nextStreamId.getAndAdd(2);
    Response response = new Response();
    responses.put(id, response);
    channel
        .eventLoop()
        .submit(
            () -> {
              ChannelHandlerContext ctx = channel.pipeline().context(handler);
              handler
                  .encoder()
                  .writeHeaders(ctx, id, headers, 0, body.length == 0, ctx.newPromise());
              for (int i = 0; i < body.length; i++) {
                handler
                    .encoder()
                    .writeData(
                        ctx,
                        id,
                        Unpooled.wrappedBuffer(body[i]),
                        0,
                        i == body.length - 1,
                        ctx.newPromise());
              }
              // Through the handler: its flush is what hands flow-controlled DATA to the socket.
              channel.flush();
            })
        .sync();
    return response.done.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    channel.close().sync();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
  }

  private final class Listener extends Http2FrameAdapter {
    @Override
    public int onDataRead(
        ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
      Response response = responses.get(streamId);
      int bytes = data.readableBytes();
      if (response != null) {
        byte[] frame = ByteBufUtil.getBytes(data);
        response.dataFrames.add(frame);
        response.body.writeBytes(frame);
        if (endOfStream) {
          response.done.complete(response);
        }
      }
      return bytes + padding;
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

    @Override
    public void onHeadersRead(
        ChannelHandlerContext ctx,
        int streamId,
        Http2Headers headers,
        int padding,
        boolean endOfStream) {
      Response response = responses.get(streamId);
      if (response == null) {
        return;
      }
      if (response.headers == null) {
        response.headers = headers;
      } else {
        response.trailers = headers;
      }
      if (endOfStream) {
        response.done.complete(response);
      }
    }

    @Override
    public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
      Response response = responses.get(streamId);
      if (response != null) {
        response.resetCode = errorCode;
        response.done.complete(response);
      }
    }
  }
}
