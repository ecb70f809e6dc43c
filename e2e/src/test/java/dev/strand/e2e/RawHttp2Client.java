package dev.strand.e2e;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.DefaultHttp2FrameReader;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A deliberately dumb HTTP/2 client for protocol tests: it writes whatever frames a test asks for
 * (no stream state, no validation) and records every frame it receives.
 *
 * <p>It keeps only the bookkeeping a peer must: it ACKs SETTINGS and PING, gives received DATA back
 * to the server's flow-control windows, and tracks the server's windows so that {@link
 * #sendDataFlowControlled} can send large bodies without breaking the connection. Everything else
 * (stream ids, header contents, framing of gRPC messages) is up to the test.
 *
 * <p>All waits are bounded; received frames are copied to the heap, so nothing here can leak a
 * buffer.
 */
final class RawHttp2Client implements AutoCloseable {
  static final Duration DEFAULT_WAIT = Duration.ofSeconds(5);
  private static final int DEFAULT_WINDOW = Http2CodecUtil.DEFAULT_WINDOW_SIZE;

  /** What we advertise: large enough that no test response ever waits on us. */
  private static final int OUR_WINDOW = 16 * 1024 * 1024;

  /** A frame received from the server. */
  sealed interface Frame
      permits HeadersFrame,
          DataFrame,
          RstFrame,
          GoAwayFrame,
          SettingsFrame,
          WindowUpdateFrame,
          PingFrame {
    int streamId();
  }

  record HeadersFrame(int streamId, Http2Headers headers, boolean endStream) implements Frame {}

  record DataFrame(int streamId, byte[] data, boolean endStream) implements Frame {}

  record RstFrame(int streamId, long errorCode) implements Frame {}

  record GoAwayFrame(int lastStreamId, long errorCode, String debugData) implements Frame {
    @Override
    public int streamId() {
      return 0;
    }
  }

  record SettingsFrame(Http2Settings settings, boolean ack) implements Frame {
    @Override
    public int streamId() {
      return 0;
    }
  }

  record WindowUpdateFrame(int streamId, int increment) implements Frame {}

  record PingFrame(long data, boolean ack) implements Frame {
    @Override
    public int streamId() {
      return 0;
    }
  }

  /** What happened on one stream, once it ended. */
  static final class Response {
    private final int streamId;
    private final List<HeadersFrame> headerBlocks;
    private final byte[] data;
    private final Long resetCode;
    private final boolean endStream;
    private final String endReason;

    Response(
        int streamId,
        List<HeadersFrame> headerBlocks,
        byte[] data,
        Long resetCode,
        boolean endStream,
        String endReason) {
      this.streamId = streamId;
      this.headerBlocks = List.copyOf(headerBlocks);
      this.data = data;
      this.resetCode = resetCode;
      this.endStream = endStream;
      this.endReason = endReason;
    }

    int streamId() {
      return streamId;
    }

    List<HeadersFrame> headerBlocks() {
      return headerBlocks;
    }

    /** The first header block (the response headers, or the Trailers-Only block). */
    Http2Headers headers() {
      return headerBlocks.isEmpty() ? null : headerBlocks.get(0).headers();
    }

    /** The header block that ended the stream, if one did. */
    Http2Headers trailers() {
      if (headerBlocks.isEmpty()) {
        return null;
      }
      HeadersFrame last = headerBlocks.get(headerBlocks.size() - 1);
      return last.endStream() ? last.headers() : null;
    }

    /** The HTTP :status of the first header block. */
    String httpStatus() {
      Http2Headers h = headers();
      return h == null || h.status() == null ? null : h.status().toString();
    }

    /** A single header block with END_STREAM and no DATA. */
    boolean isTrailersOnly() {
      return headerBlocks.size() == 1 && headerBlocks.get(0).endStream() && data.length == 0;
    }

    /** grpc-status of the block that ended the stream, or null. */
    Integer grpcStatus() {
      Http2Headers t = trailers();
      CharSequence v = t == null ? null : t.get("grpc-status");
      return v == null ? null : Integer.valueOf(v.toString());
    }

    /** grpc-message of the block that ended the stream, still percent-encoded, or null. */
    String grpcMessage() {
      Http2Headers t = trailers();
      CharSequence v = t == null ? null : t.get("grpc-message");
      return v == null ? null : v.toString();
    }

    /** Every DATA byte received on the stream. */
    byte[] data() {
      return data.clone();
    }

    /** The DATA bytes cut into gRPC messages (uncompressed framing assumed). */
    List<String> messagesUtf8() {
      List<String> out = new ArrayList<>();
      ByteBuffer b = ByteBuffer.wrap(data);
      while (b.remaining() >= 5) {
        b.get();
        int len = b.getInt();
        byte[] m = new byte[len];
        b.get(m);
        out.add(new String(m, StandardCharsets.UTF_8));
      }
      return out;
    }

    /** The RST_STREAM error code the server sent before the stream otherwise ended, or null. */
    Long resetCode() {
      return resetCode;
    }

    boolean endStream() {
      return endStream;
    }

    /** "END_STREAM", "RST_STREAM", "GOAWAY" or "connection closed". */
    String endReason() {
      return endReason;
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder("Response{stream=").append(streamId);
      for (HeadersFrame h : headerBlocks) {
        sb.append(", headers")
            .append(h.endStream() ? "(END_STREAM)" : "")
            .append('=')
            .append(h.headers());
      }
      sb.append(", data=").append(data.length).append(" bytes");
      if (resetCode != null) {
        sb.append(", rst=").append(resetCode);
      }
      return sb.append(", end=").append(endReason).append('}').toString();
    }
  }

  /** Per stream record; touched only on the event loop, read after {@code done} completes. */
  private static final class StreamRecord {
    final List<HeadersFrame> headers = new ArrayList<>();
    final ByteArrayOutputStream data = new ByteArrayOutputStream();
    final CompletableFuture<Response> done = new CompletableFuture<>();
    Long reset;

    void end(int streamId, boolean endStream, String reason) {
      if (!done.isDone()) {
        done.complete(
            new Response(streamId, headers, data.toByteArray(), reset, endStream, reason));
      }
    }
  }

  private final EventLoopGroup group;
  private final Channel channel;
  private final DefaultHttp2FrameWriter writer;
  private final Map<Integer, StreamRecord> streams = new ConcurrentHashMap<>();
  private final List<Frame> received = new ArrayList<>(); // guarded by this
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private volatile ChannelHandlerContext ctx;
  private volatile Throwable failure;
  private int nextStreamId = 1;

  // Send-side flow control (the server's windows), guarded by this.
  private long connectionWindow = DEFAULT_WINDOW;
  private int initialStreamWindow = DEFAULT_WINDOW;
  private final Map<Integer, Long> streamWindows = new HashMap<>();
  private int maxFrameSize = Http2CodecUtil.DEFAULT_MAX_FRAME_SIZE;

  private RawHttp2Client(EventLoopGroup group, Channel channel, DefaultHttp2FrameWriter writer) {
    this.group = group;
    this.channel = channel;
    this.writer = writer;
  }

  /** Connects to 127.0.0.1:port and sends the preface, SETTINGS and a connection WINDOW_UPDATE. */
  static RawHttp2Client connect(int port) throws InterruptedException {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    RawHttp2Client[] self = new RawHttp2Client[1];
    CompletableFuture<Void> ownerSet = new CompletableFuture<>();
    DefaultHttp2FrameWriter writer = new DefaultHttp2FrameWriter();
    Bootstrap b =
        new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(
                new ChannelInitializer<>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(new Decoder(self, ownerSet, writer));
                  }
                });
    try {
      Channel ch = b.connect(new InetSocketAddress("127.0.0.1", port)).sync().channel();
      RawHttp2Client client = new RawHttp2Client(group, ch, writer);
      client.ctx = ch.pipeline().context(Decoder.class);
      self[0] = client;
      ch.closeFuture().addListener(f -> client.onClosed());
      ownerSet.complete(null);
      return client;
    } catch (RuntimeException | InterruptedException e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e;
    }
  }

  // ---------------------------------------------------------------- writing

  /** A fresh client stream id (odd, increasing). */
  synchronized int newStreamId() {
    int id = nextStreamId;
    nextStreamId += 2;
    return id;
  }

  /** Headers of a well-formed gRPC request to {@code /path}. */
  static Http2Headers grpcRequestHeaders(String fullMethodName) {
    return new DefaultHttp2Headers()
        .method("POST")
        .scheme("http")
        .path("/" + fullMethodName)
        .authority("127.0.0.1")
        .add("content-type", "application/grpc")
        .add("te", "trailers");
  }

  /** A gRPC length-prefixed frame whose prefix says {@code declaredLength} over {@code body}. */
  static byte[] grpcFrame(int flags, long declaredLength, byte[] body) {
    ByteBuffer b = ByteBuffer.allocate(5 + body.length);
    b.put((byte) flags);
    b.putInt((int) declaredLength);
    b.put(body);
    return b.array();
  }

  /** An honest, uncompressed gRPC frame of a UTF-8 string. */
  static byte[] grpcMessage(String message) {
    byte[] body = message.getBytes(StandardCharsets.UTF_8);
    return grpcFrame(0, body.length, body);
  }

  void writeHeaders(int streamId, Http2Headers headers, boolean endStream) {
    synchronized (this) {
      streamWindows.putIfAbsent(streamId, (long) initialStreamWindow);
    }
    onLoop(
        () -> {
          writer.writeHeaders(ctx, streamId, headers, 0, endStream, ctx.newPromise());
          ctx.flush();
        });
  }

  /** One DATA frame, whatever the windows say. */
  void writeData(int streamId, byte[] data, boolean endStream) {
    synchronized (this) {
      connectionWindow -= data.length;
      streamWindows.merge(streamId, (long) -data.length, Long::sum);
    }
    onLoop(
        () -> {
          writer.writeData(
              ctx, streamId, Unpooled.wrappedBuffer(data), 0, endStream, ctx.newPromise());
          ctx.flush();
        });
  }

  /**
   * HEADERS of a gRPC request, then DATA with the given bytes: one flush, so they travel together.
   */
  void writeRequest(int streamId, Http2Headers headers, byte[] data, boolean endStream) {
    synchronized (this) {
      streamWindows.putIfAbsent(streamId, (long) initialStreamWindow);
      connectionWindow -= data.length;
      streamWindows.merge(streamId, (long) -data.length, Long::sum);
    }
    onLoop(
        () -> {
          writer.writeHeaders(ctx, streamId, headers, 0, false, ctx.newPromise());
          writer.writeData(
              ctx, streamId, Unpooled.wrappedBuffer(data), 0, endStream, ctx.newPromise());
          ctx.flush();
        });
  }

  /**
   * Sends {@code data} in frames no larger than the server allows, waiting for window as a
   * well-behaved client would. Stops early if the stream ends (the server answered or reset it) or
   * the connection closes. Returns the number of bytes sent.
   */
  long sendDataFlowControlled(int streamId, byte[] data, boolean endStream, Duration timeout)
      throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int offset = 0;
    while (offset < data.length || (endStream && offset == 0 && data.length == 0)) {
      int chunk;
      synchronized (this) {
        while (true) {
          if (streamEnded(streamId) || closed.isDone()) {
            return offset;
          }
          long window =
              Math.min(
                  connectionWindow,
                  streamWindows.getOrDefault(streamId, (long) initialStreamWindow));
          if (window > 0 || data.length == 0) {
            chunk = (int) Math.min(Math.min(window, maxFrameSize), data.length - offset);
            break;
          }
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            throw new TimeoutException("no flow-control window after " + offset + " bytes");
          }
          TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
        }
      }
      byte[] part = new byte[chunk];
      System.arraycopy(data, offset, part, 0, chunk);
      offset += chunk;
      writeData(streamId, part, endStream && offset == data.length);
      if (data.length == 0) {
        break;
      }
    }
    return offset;
  }

  void writeRstStream(int streamId, Http2Error error) {
    onLoop(
        () -> {
          writer.writeRstStream(ctx, streamId, error.code(), ctx.newPromise());
          ctx.flush();
        });
  }

  void writeRaw(byte[] bytes) {
    onLoop(() -> ctx.writeAndFlush(Unpooled.wrappedBuffer(bytes)));
  }

  /** Closes the socket with SO_LINGER 0: the server sees a TCP RST, no GOAWAY, no FIN. */
  void resetConnection() throws InterruptedException {
    channel.config().setOption(ChannelOption.SO_LINGER, 0);
    channel.close().await(DEFAULT_WAIT.toMillis());
  }

  // ---------------------------------------------------------------- reading

  /** Waits until the stream ends by END_STREAM, RST_STREAM, GOAWAY or connection loss. */
  Response awaitResponse(int streamId, Duration timeout) throws InterruptedException {
    StreamRecord r = record(streamId);
    try {
      return r.done.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError(
          "stream " + streamId + " did not end within " + timeout + "; frames so far: " + frames(),
          e);
    } catch (ExecutionException e) {
      throw new AssertionError(e.getCause());
    }
  }

  Response awaitResponse(int streamId) throws InterruptedException {
    return awaitResponse(streamId, DEFAULT_WAIT);
  }

  /** Waits for a received frame matching {@code test}; null if none came in time. */
  synchronized Frame awaitFrame(Predicate<Frame> test, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int seen = 0;
    while (true) {
      for (; seen < received.size(); seen++) {
        if (test.test(received.get(seen))) {
          return received.get(seen);
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return null;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  /** Every frame received so far, in order. */
  synchronized List<Frame> frames() {
    return List.copyOf(received);
  }

  /** Why the connection broke on our side (a frame we could not read, an I/O error), or null. */
  Throwable failure() {
    return failure;
  }

  /** True once the connection is closed. */
  boolean isClosed() {
    return closed.isDone();
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

  @Override
  public void close() throws InterruptedException {
    channel.close().await(DEFAULT_WAIT.toMillis());
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(DEFAULT_WAIT.toMillis());
  }

  // ---------------------------------------------------------------- internals

  private StreamRecord record(int streamId) {
    StreamRecord r = streams.computeIfAbsent(streamId, id -> new StreamRecord());
    if (closed.isDone()) {
      // The connection is gone (onClosed ran on the loop already): nothing more can arrive.
      r.end(streamId, false, closeReason());
    }
    return r;
  }

  private synchronized boolean streamEnded(int streamId) {
    StreamRecord r = streams.get(streamId);
    return r != null && r.done.isDone();
  }

  private void onLoop(Runnable task) {
    if (channel.eventLoop().inEventLoop()) {
      task.run();
      return;
    }
    try {
      channel.eventLoop().submit(task).get(DEFAULT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } catch (ExecutionException | TimeoutException e) {
      throw new AssertionError("raw client write failed", e);
    }
  }

  /** The end reason of streams cut off by the connection closing, with what led to it. */
  private String closeReason() {
    StringBuilder sb = new StringBuilder("connection closed");
    if (failure != null) {
      sb.append(" (").append(failure).append(')');
    }
    return sb.append(" after frames ").append(frames()).toString();
  }

  private void onClosed() {
    closed.complete(null);
    for (Map.Entry<Integer, StreamRecord> e : streams.entrySet()) {
      e.getValue().end(e.getKey(), false, closeReason());
    }
    synchronized (this) {
      notifyAll();
    }
  }

  private void onFrame(Frame frame) {
    synchronized (this) {
      received.add(frame);
      notifyAll();
    }
  }

  /** Frame events from the server, on the event loop. */
  private final class Listener extends Http2FrameAdapter {
    @Override
    public int onDataRead(
        ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
      byte[] bytes = ByteBufUtil.getBytes(data);
      onFrame(new DataFrame(streamId, bytes, endOfStream));
      StreamRecord r = streams.computeIfAbsent(streamId, id -> new StreamRecord());
      r.data.writeBytes(bytes);
      int consumed = bytes.length + padding;
      if (consumed > 0) {
        writer.writeWindowUpdate(ctx, 0, consumed, ctx.newPromise());
        if (!endOfStream) {
          writer.writeWindowUpdate(ctx, streamId, consumed, ctx.newPromise());
        }
        ctx.flush();
      }
      if (endOfStream) {
        r.end(streamId, true, "END_STREAM");
      }
      return consumed;
    }

    @Override
    public void onHeadersRead(
        ChannelHandlerContext ctx,
        int streamId,
        Http2Headers headers,
        int padding,
        boolean endStream) {
      HeadersFrame f = new HeadersFrame(streamId, headers, endStream);
      onFrame(f);
      StreamRecord r = streams.computeIfAbsent(streamId, id -> new StreamRecord());
      r.headers.add(f);
      if (endStream) {
        r.end(streamId, true, "END_STREAM");
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
    public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
      onFrame(new RstFrame(streamId, errorCode));
      StreamRecord r = streams.computeIfAbsent(streamId, id -> new StreamRecord());
      if (!r.done.isDone()) {
        r.reset = errorCode;
      }
      r.end(streamId, false, "RST_STREAM");
      synchronized (RawHttp2Client.this) {
        RawHttp2Client.this.notifyAll();
      }
    }

    @Override
    public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings) {
      onFrame(new SettingsFrame(settings, false));
      synchronized (RawHttp2Client.this) {
        Integer window = settings.initialWindowSize();
        if (window != null) {
          int delta = window - initialStreamWindow;
          initialStreamWindow = window;
          streamWindows.replaceAll((id, w) -> w + delta);
        }
        Integer frameSize = settings.maxFrameSize();
        if (frameSize != null) {
          maxFrameSize = frameSize;
        }
        RawHttp2Client.this.notifyAll();
      }
      writer.writeSettingsAck(ctx, ctx.newPromise());
      ctx.flush();
    }

    @Override
    public void onSettingsAckRead(ChannelHandlerContext ctx) {
      onFrame(new SettingsFrame(null, true));
    }

    @Override
    public void onPingRead(ChannelHandlerContext ctx, long data) {
      onFrame(new PingFrame(data, false));
      writer.writePing(ctx, true, data, ctx.newPromise());
      ctx.flush();
    }

    @Override
    public void onPingAckRead(ChannelHandlerContext ctx, long data) {
      onFrame(new PingFrame(data, true));
    }

    @Override
    public void onWindowUpdateRead(ChannelHandlerContext ctx, int streamId, int increment) {
      onFrame(new WindowUpdateFrame(streamId, increment));
      synchronized (RawHttp2Client.this) {
        if (streamId == 0) {
          connectionWindow += increment;
        } else {
          streamWindows.merge(streamId, (long) increment, Long::sum);
        }
        RawHttp2Client.this.notifyAll();
      }
    }

    @Override
    public void onGoAwayRead(
        ChannelHandlerContext ctx, int lastStreamId, long errorCode, ByteBuf debugData) {
      onFrame(new GoAwayFrame(lastStreamId, errorCode, debugData.toString(StandardCharsets.UTF_8)));
      for (Map.Entry<Integer, StreamRecord> e : streams.entrySet()) {
        if (e.getKey() > lastStreamId) {
          e.getValue().end(e.getKey(), false, "GOAWAY");
        }
      }
    }
  }

  /** Cuts the byte stream into frames with Netty's reader; no connection state at all. */
  private static final class Decoder extends ByteToMessageDecoder {
    private final RawHttp2Client[] owner;
    private final CompletableFuture<Void> ownerSet;
    private final DefaultHttp2FrameWriter writer;
    private final DefaultHttp2FrameReader reader =
        new DefaultHttp2FrameReader(new DefaultHttp2HeadersDecoder(false));
    private Listener listener;

    Decoder(
        RawHttp2Client[] owner, CompletableFuture<Void> ownerSet, DefaultHttp2FrameWriter writer) {
      this.owner = owner;
      this.ownerSet = ownerSet;
      this.writer = writer;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
      // The preface goes first, before anything we might write in answer to the server.
      ctx.write(Http2CodecUtil.connectionPrefaceBuf());
      Http2Settings settings =
          new Http2Settings()
              .pushEnabled(false)
              .initialWindowSize(OUR_WINDOW)
              .maxHeaderListSize(64 * 1024);
      writer.writeSettings(ctx, settings, ctx.newPromise());
      writer.writeWindowUpdate(ctx, 0, OUR_WINDOW - DEFAULT_WINDOW, ctx.newPromise());
      ctx.flush();
      super.channelActive(ctx);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out)
        throws Http2Exception {
      if (listener == null) {
        // The server speaks only after our preface, which is written once the owner is set.
        ownerSet.join();
        listener = owner[0].new Listener();
      }
      reader.readFrame(ctx, in, listener);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
      reader.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      // Resets and broken frames from a misbehaving server end the connection; tests see it.
      if (owner[0] != null) {
        owner[0].failure = cause;
      }
      ctx.close();
    }
  }
}
