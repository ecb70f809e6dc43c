package dev.strand.e2e.connections;

import dev.strand.e2e.TestCerts;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.DefaultHttp2FrameReader;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Flags;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import javax.net.ssl.SSLException;

/**
 * An attacker's HTTP/2 connection: it writes whatever frames a test asks for with Netty's frame
 * writer (or raw bytes, for header blocks no encoder would produce) and records what the server
 * sends back in a {@link PeerLog}. It keeps no stream state and validates nothing.
 *
 * <p>(The package's {@code RawHttp2Client} is package-private to {@code dev.strand.e2e} and always
 * reads, acks pings and returns window; attacks need to switch each of those off.)
 *
 * <p>Floods respect the socket's writability, so a server that stops reading makes the flood stop
 * instead of piling the attacker's own buffers into the heap the test measures.
 */
final class RawPeer implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(5);
  private static final ByteBufAllocator HEAP = new UnpooledByteBufAllocator(false);

  /** How the attacker behaves as a peer. */
  record Options(
      boolean preface,
      boolean read,
      boolean answerPings,
      boolean returnWindow,
      int initialWindow,
      int receiveBuffer,
      boolean bdpPings) {
    static Options polite() {
      return new Options(true, true, true, true, 16 * 1024 * 1024, 0, false);
    }

    /**
     * As grpc-go's client: HTTP/2's default 64 KiB stream window, given back as DATA is read, and a
     * PING (a BDP probe) with a DATA frame whenever none of its own is unanswered.
     */
    static Options grpcGoLike() {
      return new Options(true, true, true, true, 65_535, 0, true);
    }

    /** Sends nothing at all, not even acks: a slowloris connection. */
    Options withoutPreface() {
      return new Options(false, read, false, false, initialWindow, receiveBuffer, false);
    }

    /** Never reads the socket: the server's replies pile up on its side. */
    Options deaf(int receiveBuffer) {
      return new Options(
          preface, false, answerPings, returnWindow, initialWindow, receiveBuffer, bdpPings);
    }

    Options ignoringPings() {
      return new Options(
          preface, read, false, returnWindow, initialWindow, receiveBuffer, bdpPings);
    }

    /** Advertises this stream window and never gives any back on its own. */
    Options stingy(int window) {
      return new Options(preface, read, answerPings, false, window, receiveBuffer, bdpPings);
    }
  }

  private final EventLoopGroup group;
  private final Channel channel;
  private final SocketAddress localAddress;
  private final DefaultHttp2FrameWriter writer = new DefaultHttp2FrameWriter();
  private final PeerLog log = new PeerLog();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private volatile ChannelHandlerContext ctx;
  private int nextStreamId = 1;

  private RawPeer(EventLoopGroup group, Channel channel) {
    this.group = group;
    this.channel = channel;
    this.localAddress = channel.localAddress();
  }

  static RawPeer connect(int port, Options options) throws InterruptedException {
    return connect(new InetSocketAddress("127.0.0.1", port), options);
  }

  /** Connects over loopback TCP, or over a Unix domain socket (native epoll) for its address. */
  static RawPeer connect(SocketAddress address, Options options) throws InterruptedException {
    return connect(address, options, null);
  }

  /** Connects over TLS (ALPN h2) to a server with gRPC's test certificate, on loopback. */
  static RawPeer connectTls(int port, Options options) throws InterruptedException {
    return connect(new InetSocketAddress("127.0.0.1", port), options, TestCa.CLIENT);
  }

  /** Built once: a context per connection would cost more than the connection. */
  private static final class TestCa {
    static final SslContext CLIENT = build();

    private static SslContext build() {
      try {
        return SslContextBuilder.forClient()
            .trustManager(TestCerts.CA.toFile())
            .applicationProtocolConfig(
                new ApplicationProtocolConfig(
                    Protocol.ALPN,
                    SelectorFailureBehavior.NO_ADVERTISE,
                    SelectedListenerFailureBehavior.ACCEPT,
                    ApplicationProtocolNames.HTTP_2))
            .build();
      } catch (SSLException e) {
        throw new AssertionError(e);
      }
    }
  }

  private static RawPeer connect(SocketAddress address, Options options, SslContext tls)
      throws InterruptedException {
    boolean unix = address instanceof DomainSocketAddress;
    EventLoopGroup group =
        new MultiThreadIoEventLoopGroup(
            1, unix ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    CompletableFuture<RawPeer> self = new CompletableFuture<>();
    Bootstrap b =
        new Bootstrap()
            .group(group)
            .channel(unix ? EpollDomainSocketChannel.class : NioSocketChannel.class)
            .option(ChannelOption.AUTO_READ, options.read())
            // Heap buffers on the attacker's side, so the direct memory measured is the server's.
            .option(ChannelOption.ALLOCATOR, HEAP)
            .handler(
                new ChannelInitializer<>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    if (tls != null) {
                      // The name the certificate is for: the handshake checks it.
                      ch.pipeline().addLast(tls.newHandler(ch.alloc(), TestCerts.AUTHORITY, 443));
                    }
                    ch.pipeline().addLast(new Reader(self, options));
                  }
                });
    if (!unix) {
      b.option(ChannelOption.TCP_NODELAY, true);
    }
    if (options.receiveBuffer() > 0) {
      b.option(ChannelOption.SO_RCVBUF, options.receiveBuffer());
    }
    try {
      Channel ch = b.connect(address).sync().channel();
      RawPeer peer = new RawPeer(group, ch);
      peer.ctx = ch.pipeline().context(Reader.class);
      ch.closeFuture()
          .addListener(
              f -> {
                peer.closed.complete(null);
                peer.log.onClosed();
              });
      self.complete(peer);
      return peer;
    } catch (RuntimeException | InterruptedException e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e;
    }
  }

  PeerLog log() {
    return log;
  }

  /** This end's address: the server sees it as the client's remote address. */
  SocketAddress localAddress() {
    return localAddress;
  }

  synchronized int newStreamId() {
    int id = nextStreamId;
    nextStreamId += 2;
    return id;
  }

  /** A well-formed gRPC request's headers for {@code fullMethodName}. */
  static Http2Headers request(String fullMethodName) {
    return new DefaultHttp2Headers()
        .method("POST")
        .scheme("http")
        .path("/" + fullMethodName)
        .authority("127.0.0.1")
        .add("content-type", "application/grpc")
        .add("te", "trailers");
  }

  /** One uncompressed gRPC message frame. */
  static ByteBuf grpcMessage(byte[] body) {
    return Unpooled.buffer(5 + body.length).writeByte(0).writeInt(body.length).writeBytes(body);
  }

  // ---- writing: each call runs the writes on the event loop and flushes once ----

  /** Runs {@code writes} on the event loop, then flushes; waits until they are queued. */
  void write(BiConsumer<DefaultHttp2FrameWriter, ChannelHandlerContext> writes) {
    if (closed.isDone()) {
      return;
    }
    try {
      channel
          .eventLoop()
          .submit(
              () -> {
                writes.accept(writer, ctx);
                ctx.flush();
              })
          .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } catch (ExecutionException | TimeoutException e) {
      throw new AssertionError("attacker write failed", e);
    }
  }

  void writeHeaders(int streamId, Http2Headers headers, boolean endStream) {
    write((w, c) -> w.writeHeaders(c, streamId, headers, 0, endStream, c.newPromise()));
  }

  /** Any frame, payload as given: for header blocks and frames the writer would refuse. */
  static void rawFrame(
      DefaultHttp2FrameWriter w,
      ChannelHandlerContext c,
      int type,
      int flags,
      int streamId,
      ByteBuf payload) {
    w.writeFrame(c, (byte) type, streamId, new Http2Flags((short) flags), payload, c.newPromise());
  }

  /**
   * Writes {@code count} frames, {@code batch} per flush, as fast as the socket takes them. Stops
   * early when the connection closes, or when the socket stays unwritable (the server stopped
   * reading) until {@code maxTime} runs out. Returns how many frames were written.
   */
  int flood(int count, int batch, Duration maxTime, FrameSource frames) {
    long deadline = System.nanoTime() + maxTime.toNanos();
    int written = 0;
    while (written < count && !closed.isDone() && System.nanoTime() < deadline) {
      if (!channel.isWritable()) {
        sleepMillis(2);
        continue;
      }
      int from = written;
      int n = Math.min(batch, count - written);
      write(
          (w, c) -> {
            for (int i = from; i < from + n; i++) {
              frames.write(w, c, i);
            }
          });
      written += n;
    }
    return written;
  }

  /** Writes frame number {@code i} of a flood. */
  @FunctionalInterface
  interface FrameSource {
    void write(DefaultHttp2FrameWriter w, ChannelHandlerContext c, int i);
  }

  /**
   * Writes the same pre-encoded {@code chunk} up to {@code times} times, as fast as the socket
   * takes it, with the same early stops as {@link #flood}. For floods of hundreds of thousands of
   * frames, where encoding each one (under the leak detector's PARANOID tracking) would cost the
   * attacker more than the server. Returns how many chunks were written.
   */
  int floodBytes(byte[] chunk, int times, Duration maxTime) {
    long deadline = System.nanoTime() + maxTime.toNanos();
    int written = 0;
    while (written < times && !closed.isDone() && System.nanoTime() < deadline) {
      if (!channel.isWritable()) {
        sleepMillis(2);
        continue;
      }
      write((w, c) -> c.write(Unpooled.wrappedBuffer(chunk)));
      written++;
    }
    return written;
  }

  /** The bytes Netty's frame writer produces for frames {@code 0 .. count-1} of {@code frames}. */
  static byte[] encode(int count, FrameSource frames) {
    EmbeddedChannel ch = new EmbeddedChannel(new ChannelOutboundHandlerAdapter());
    DefaultHttp2FrameWriter w = new DefaultHttp2FrameWriter();
    ChannelHandlerContext c = ch.pipeline().firstContext();
    for (int i = 0; i < count; i++) {
      frames.write(w, c, i);
    }
    ch.flush();
    ByteBuf all = Unpooled.buffer();
    for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
      all.writeBytes(b);
      b.release();
    }
    byte[] bytes = ByteBufUtil.getBytes(all);
    all.release();
    ch.finishAndReleaseAll();
    return bytes;
  }

  void writeRaw(byte[] bytes) {
    write((w, c) -> c.write(Unpooled.wrappedBuffer(bytes)));
  }

  /** Starts reading again (after a deaf phase), so that what the server sent arrives. */
  void startReading() {
    channel.config().setAutoRead(true);
    channel.read();
  }

  boolean awaitClosed(Duration timeout) throws InterruptedException {
    try {
      closed.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      return true;
    }
  }

  boolean isClosed() {
    return closed.isDone();
  }

  @Override
  public void close() {
    try {
      channel.close().await(WAIT.toMillis());
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(WAIT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleepMillis(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Sends the preface, cuts the server's bytes into frames and plays the peer's duties. */
  private static final class Reader extends ByteToMessageDecoder {
    private final CompletableFuture<RawPeer> self;
    private final Options options;
    private final DefaultHttp2FrameReader reader =
        new DefaultHttp2FrameReader(new DefaultHttp2HeadersDecoder(false, 1 << 20));
    private PeerLog.Listener listener;

    Reader(CompletableFuture<RawPeer> self, Options options) {
      this.self = self;
      this.options = options;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
      if (options.preface()) {
        DefaultHttp2FrameWriter w = new DefaultHttp2FrameWriter();
        ctx.write(Http2CodecUtil.connectionPrefaceBuf());
        Http2Settings settings =
            new Http2Settings()
                .pushEnabled(false)
                .initialWindowSize(options.initialWindow())
                .maxHeaderListSize(1 << 20);
        w.writeSettings(ctx, settings, ctx.newPromise());
        if (options.returnWindow()) {
          w.writeWindowUpdate(ctx, 0, (1 << 24), ctx.newPromise());
        }
        ctx.flush();
      }
      super.channelActive(ctx);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out)
        throws Http2Exception {
      if (listener == null) {
        RawPeer peer = self.join();
        listener = peer.log.listener(peer.writer, options);
      }
      reader.readFrame(ctx, in, listener);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
      reader.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      // Resets and frames we cannot parse end the connection; the log keeps the reason.
      self.thenAccept(p -> p.log.onFailure(cause));
      ctx.close();
    }
  }
}
