package dev.strand.netty.grpc;

import dev.strand.Deadline;
import dev.strand.Marshaller;
import dev.strand.Metadata;
import dev.strand.MethodDescriptor;
import dev.strand.Status;
import dev.strand.StatusException;
import dev.strand.internal.call.Failures;
import dev.strand.internal.call.Tracing;
import dev.strand.netty.framing.MessageDeframer;
import dev.strand.netty.framing.MessageFramer;
import dev.strand.netty.framing.MessageReader;
import dev.strand.netty.headers.HeadersCodec;
import dev.strand.netty.headers.SharedHeaderBlocks;
import dev.strand.netty.stream.ServerStream;
import dev.strand.netty.stream.ServerStreamListener;
import dev.strand.netty.stream.StreamConnection;
import dev.strand.server.ExceptionMapper;
import dev.strand.server.InterceptedServerCall;
import dev.strand.server.ServerCall;
import dev.strand.server.ServerMethod;
import dev.strand.spi.ServerCallTracer;
import dev.strand.wire.Codec;
import dev.strand.wire.CodecRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.SocketAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLSession;

/**
 * One gRPC call on one {@link ServerStream}: 5-byte framed messages, the status in trailers
 * (Trailers-Only when nothing else was sent), deadlines, compression. Public methods may be called
 * from any thread: they serialize what they can on the caller's thread and queue the rest onto the
 * event loop, where all stream state lives.
 */
public final class GrpcServerCall<ReqT, RespT>
    implements ServerCall<ReqT, RespT>,
        ServerStreamListener,
        MessageDeframer.Sink,
        ServerCall.CallInfo,
        InterceptedServerCall<ReqT, RespT> {
  private static final Logger log = Logger.getLogger(GrpcServerCall.class.getName());

  /** Below this many queued bytes the call is ready for more. */
  public static final int READY_THRESHOLD = 32 * 1024;

  private final GrpcServerProtocol protocol;
  private final ServerStream stream;
  private final StreamConnection connection;
  private final ServerMethod<ReqT, RespT> method;
  private final Deadline deadline;
  private final Codec requestCodec;

  /** The call's messages: the method's binary format unless its protocol chose another. */
  private final Marshaller<ReqT> requestMarshaller;

  private final Marshaller<RespT> responseMarshaller;

  /** As the HPACK decoder gave it; made a String only if asked for. */
  private final CharSequence authority;

  private final int maxMessageSize;
  private final CharSequence acceptEncoding;
  private final MessageDeframer deframer;

  /** A DATA write failed: the stream is gone, so the call is never ready again. */
  private volatile boolean writeFailed;

  private final AtomicInteger queuedBytes = new AtomicInteger();
  private volatile Codec responseCodec;
  private volatile boolean messageCompression = true;

  /** Set once headers or a message were queued: the response encoding can no longer change. */
  private volatile boolean responseStarted;

  private volatile boolean closeRequested;
  private volatile boolean cancelled;

  /** The outermost interceptor's wrapper: the server's own ends go through its close. */
  private volatile ServerCall<ReqT, RespT> outermost = this;

  /**
   * Set on the event loop while the server ends the call itself, for the close that comes back
   * through the interceptors: how the end leaves the wire.
   */
  private ServerEnd serverEnd;

  /** How a call the server ends itself leaves the wire. */
  private enum ServerEnd {
    /** Trailers with the status: the client sent something the server rejects. */
    TRAILERS,
    /**
     * RST_STREAM(CANCEL), no trailers: the server's deadline passed (on a stream that takes a reset
     * for it; see {@link ServerStream#statusAtDeadline}).
     */
    RESET,
    /** Nothing: the client reset the stream, or it closed. */
    NOTHING
  }

  // Event-loop state.
  private ServerCallTracer.Call tracer = Tracing.SERVER_NONE;
  private Listener<ReqT> listener;
  private boolean headersSent;
  private boolean finished;
  private ScheduledFuture<?> deadlineTimer;

  @SuppressWarnings("unchecked")
  GrpcServerCall(
      GrpcServerProtocol protocol,
      ServerStream stream,
      ServerMethod<?, ?> method,
      Deadline deadline,
      Codec requestCodec,
      CharSequence authority,
      CharSequence acceptEncoding,
      MethodDescriptor.Format<?, ?> format) {
    this.protocol = protocol;
    this.stream = stream;
    this.connection = stream.connection();
    this.method = (ServerMethod<ReqT, RespT>) method;
    this.deadline = deadline;
    this.requestCodec = requestCodec;
    MethodDescriptor.Format<ReqT, RespT> messages =
        format == null
            ? this.method.descriptor().formats().get(0)
            : (MethodDescriptor.Format<ReqT, RespT>) format;
    this.requestMarshaller = messages.request();
    this.responseMarshaller = messages.response();
    this.authority = authority;
    this.maxMessageSize = protocol.maxInboundMessageSize();
    this.acceptEncoding = acceptEncoding;
    this.deframer = new MessageDeframer(this, connection.alloc(), this.maxMessageSize);
  }

  void start(Metadata headers) {
    tracer = Tracing.start(protocol.tracer(), method.descriptor(), headers);
    if (deadline != null) {
      long nanos = deadline.remainingNanos();
      deadlineTimer =
          connection
              .eventLoop()
              .schedule(
                  () -> {
                    endByServer(
                        Status.DEADLINE_EXCEEDED.withDescription("deadline exceeded on the server"),
                        stream.statusAtDeadline() ? ServerEnd.TRAILERS : ServerEnd.RESET);
                    // A timer, not a read: no read's end flushes what the end wrote.
                    connection.flush();
                  },
                  Math.max(0, nanos),
                  TimeUnit.NANOSECONDS);
    }
    try {
      listener = method.handler().startCall(this, headers);
      if (listener == null) {
        throw new NullPointerException("startCall returned no listener");
      }
    } catch (Throwable t) {
      listener = new Listener<>() {};
      failFromApplication(t);
    }
  }

  // ---- ServerCall API (any thread) ----

  @Override
  public MethodDescriptor<ReqT, RespT> method() {
    return method.descriptor();
  }

  @Override
  public void request(int n) {
    if (connection.eventLoop().inEventLoop()) {
      deframer.request(n);
    } else {
      connection.writeQueue().enqueue(() -> deframer.request(n));
    }
  }

  @Override
  public void sendHeaders(Metadata headers) {
    responseStarted = true;
    connection.writeQueue().runOrEnqueue(() -> writeResponseHeaders(headers));
  }

  @Override
  public void sendMessage(RespT message) {
    if (closeRequested || cancelled || writeFailed) {
      return;
    }
    responseStarted = true;
    ByteBuf frame;
    try {
      frame =
          MessageFramer.frame(
              responseMarshaller,
              message,
              connection.alloc(),
              messageCompression ? responseCodec : null);
    } catch (Exception e) {
      close(
          Status.INTERNAL.withDescription("cannot serialize response: " + e).withCause(e),
          new Metadata());
      return;
    }
    int size = frame.readableBytes();
    queuedBytes.addAndGet(size);
    connection.writeQueue().runOrEnqueue(() -> writeMessage(frame, size));
  }

  @Override
  public void close(Status status, Metadata trailers) {
    if (closeRequested) {
      return;
    }
    closeRequested = true;
    ServerEnd end = connection.eventLoop().inEventLoop() ? serverEnd : null;
    if (end == null) {
      connection.writeQueue().runOrEnqueue(() -> writeTrailers(status, trailers, false));
    } else if (end == ServerEnd.TRAILERS) {
      // Now, ahead of anything queued: the call is over, what the handler queued goes nowhere.
      writeTrailers(status, trailers, true);
    } else {
      finishWithoutTrailers(status, end == ServerEnd.RESET ? Http2Error.CANCEL : null);
    }
  }

  @Override
  public void wrappedBy(ServerCall<ReqT, RespT> wrapper) {
    outermost = wrapper;
  }

  @Override
  public boolean isReady() {
    return !closeRequested && !cancelled && !writeFailed && queuedBytes.get() < READY_THRESHOLD;
  }

  @Override
  public boolean isCancelled() {
    return cancelled;
  }

  @Override
  public void setCompression(String encoding) {
    if (responseStarted) {
      throw new IllegalStateException("setCompression must come before the response starts");
    }
    if (encoding == null || CodecRegistry.IDENTITY.equals(encoding)) {
      responseCodec = null;
      return;
    }
    Codec codec = CodecRegistry.getDefault().lookup(encoding);
    if (codec == null) {
      throw new IllegalArgumentException("no codec registered for '" + encoding + "'");
    }
    // Compress only with what the client said it can read (compression.md); else send plain.
    responseCodec = clientAccepts(encoding) ? codec : null;
  }

  private boolean clientAccepts(String encoding) {
    for (String accepted : acceptEncoding.toString().split(",")) {
      if (accepted.trim().equals(encoding)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void setMessageCompression(boolean enabled) {
    messageCompression = enabled;
  }

  @Override
  public Executor blockingExecutor() {
    return connection.blockingExecutor();
  }

  @Override
  public CallInfo info() {
    return this;
  }

  @Override
  public ServerCallTracer.Call tracerCall() {
    return Tracing.unwrap(tracer);
  }

  @Override
  public SocketAddress remoteAddress() {
    return connection.remoteAddress();
  }

  @Override
  public SocketAddress localAddress() {
    return connection.localAddress();
  }

  @Override
  public SSLSession sslSession() {
    return connection.sslSession();
  }

  @Override
  public Deadline deadline() {
    return deadline;
  }

  @Override
  public String authority() {
    return authority == null ? null : authority.toString();
  }

  @Override
  public java.util.List<dev.strand.server.ServiceDefinition> services() {
    return protocol.services();
  }

  @Override
  public ExceptionMapper exceptionMapper() {
    return protocol.exceptionMapper();
  }

  @Override
  public String protocol() {
    return protocol.name();
  }

  // ---- Event loop: writes ----

  private void writeResponseHeaders(Metadata metadata) {
    if (headersSent || finished) {
      return;
    }
    Http2Headers headers = responseHeaders(metadata);
    long size = HeadersCodec.listSize(headers);
    long limit = connection.peerMaxHeaderListSize();
    if (size > limit) {
      // Only this call fails; sent anyway, the client would end the whole connection.
      abort(HeadersCodec.tooLarge("response headers", size, limit, "client"));
      return;
    }
    headersSent = true;
    if (Tracing.watched(tracer)) {
      tracer.outboundHeaders(metadata == null ? new Metadata() : metadata);
    }
    stream.writeHeaders(headers, false);
  }

  private void writeMessage(ByteBuf frame, int size) {
    if (finished) {
      frame.release();
      queuedBytes.addAndGet(-size);
      return;
    }
    if (!headersSent) {
      writeResponseHeaders(null);
    }
    tracer.outboundMessage(size - MessageFramer.HEADER_LENGTH);
    stream.writeData(frame, this::onBytesSent);
  }

  private void onBytesSent(int size, boolean written) {
    if (!written) {
      // The stream is gone (its cancellation is on its way). Not ready from now on: a handler
      // that sends while ready would otherwise see each failed write free room for the next.
      writeFailed = true;
    }
    int after = queuedBytes.addAndGet(-size);
    int before = after + size;
    if (before >= READY_THRESHOLD && after < READY_THRESHOLD && !finished && !writeFailed) {
      deliver(Listener::onReady);
    }
  }

  /** {@code endedByServer}: the listener is told onCancel by the server's end, not here. */
  private void writeTrailers(Status status, Metadata trailers, boolean endedByServer) {
    if (finished) {
      return;
    }
    finished = true;
    cancelDeadlineTimer();
    Http2Headers headers = trailerBlock(status, trailers);
    long size = HeadersCodec.listSize(headers);
    long limit = connection.peerMaxHeaderListSize();
    boolean fits = size <= limit;
    if (!fits) {
      // The client would not take these: it gets a status saying so, the handler a cancel.
      headers = trailerBlock(HeadersCodec.tooLarge("trailers", size, limit, "client"), null);
    }
    headersSent = true;
    if (Tracing.watched(tracer)) {
      traceClosed(
          fits ? status : HeadersCodec.tooLarge("trailers", size, limit, "client"),
          fits ? trailers : null);
    }
    stream
        .writeHeaders(headers, true)
        .addListener(
            f -> {
              if (endedByServer) {
                if (f.isSuccess() && !stream.remoteClosed()) {
                  stream.reset(Http2Error.NO_ERROR);
                  connection.flush();
                }
                return;
              }
              if (f.isSuccess()) {
                if (!stream.remoteClosed()) {
                  // The client is still sending but the call is over: free the stream. Only now,
                  // after
                  // the trailers (and the messages queued before them) are on the wire.
                  stream.reset(Http2Error.NO_ERROR);
                  connection.flush();
                }
                if (fits) {
                  safely(Listener::onComplete);
                } else {
                  cancelled = true;
                  safely(Listener::onCancel);
                }
              } else {
                cancelled = true;
                safely(Listener::onCancel);
              }
            });
    deframer.close();
  }

  private Http2Headers responseHeaders(Metadata metadata) {
    Codec codec = responseCodec;
    if (codec == null && (metadata == null || metadata.isEmpty())) {
      return SharedHeaderBlocks.plainResponseHeaders();
    }
    Http2Headers headers = new DefaultHttp2Headers(false).status(HeadersCodec.STATUS_200);
    headers.add(HeadersCodec.CONTENT_TYPE, HeadersCodec.APPLICATION_GRPC);
    if (codec != null) {
      headers.add(HeadersCodec.GRPC_ENCODING, codec.name());
    }
    headers.add(HeadersCodec.GRPC_ACCEPT_ENCODING, CodecRegistry.getDefault().acceptEncoding());
    HeadersCodec.addMetadata(headers, metadata);
    return headers;
  }

  /** The final header block; Trailers-Only (with :status) when no headers were sent. */
  private Http2Headers trailerBlock(Status status, Metadata trailers) {
    if (headersSent
        && status.isOk()
        && status.description() == null
        && (trailers == null || trailers.isEmpty())) {
      return SharedHeaderBlocks.okTrailers();
    }
    Http2Headers headers = new DefaultHttp2Headers(false);
    if (!headersSent) {
      headers.status(HeadersCodec.STATUS_200);
      headers.add(HeadersCodec.CONTENT_TYPE, HeadersCodec.APPLICATION_GRPC);
    }
    HeadersCodec.addStatus(headers, status);
    HeadersCodec.addMetadata(headers, trailers);
    return headers;
  }

  // ---- Event loop: inbound ----

  @Override
  public void onData(ByteBuf data, boolean endOfStream) {
    deframer.feed(data);
    if (endOfStream) {
      deframer.endOfStream();
    }
  }

  @Override
  public void onMessage(ByteBuf message, boolean compressed) {
    if (finished) {
      message.release();
      return;
    }
    tracer.inboundMessage(message.readableBytes());
    ReqT request;
    try {
      request =
          MessageReader.read(message, compressed, requestCodec, requestMarshaller, maxMessageSize);
    } catch (StatusException e) {
      abort(e.status());
      return;
    }
    deliver(l -> l.onMessage(request));
  }

  @Override
  public void onEnd() {
    deliver(Listener::onHalfClose);
  }

  @Override
  public void onError(Status status) {
    abort(status);
  }

  @Override
  public void onMalformed(Status status) {
    abort(status);
  }

  @Override
  public void returnBytes(int bytes) {
    stream.returnBytes(bytes);
  }

  @Override
  public void onReset(long errorCode) {
    endByServer(
        Status.CANCELLED.withDescription(
            "client reset the stream (HTTP/2 error " + errorCode + ")"),
        ServerEnd.NOTHING);
  }

  @Override
  public void onClosed() {
    if (!finished) {
      endByServer(Status.CANCELLED.withDescription("stream closed"), ServerEnd.NOTHING);
    }
    deframer.close();
  }

  /** Ends the call because of something the client sent: status to the client, cancel here. */
  private void abort(Status status) {
    endByServer(status, new Metadata(), ServerEnd.TRAILERS);
  }

  /**
   * The one way the server ends a call itself: through the interceptors' close, as if the handler
   * had closed it, then the listener's onCancel. If the handler closed first, its close stands and
   * only the wire and the listener are finished here.
   */
  private void endByServer(Status status, ServerEnd end) {
    endByServer(status, new Metadata(), end);
  }

  private void endByServer(Status status, Metadata trailers, ServerEnd end) {
    if (finished) {
      return;
    }
    cancelled = true;
    log.log(
        Level.FINE,
        "call {0} ended by the server: {1}",
        new Object[] {method.descriptor(), status});
    if (!closeRequested) {
      serverEnd = end;
      try {
        outermost.close(status, trailers);
      } catch (Throwable t) {
        log.log(Level.WARNING, "an interceptor's close threw for " + method.descriptor(), t);
      } finally {
        serverEnd = null;
      }
    }
    if (!finished) {
      // An interceptor did not pass the close on, or the handler's close is still queued.
      if (end == ServerEnd.TRAILERS) {
        closeRequested = true;
        writeTrailers(status, trailers, true);
      } else {
        finishWithoutTrailers(status, end == ServerEnd.RESET ? Http2Error.CANCEL : null);
      }
    }
    safely(Listener::onCancel);
  }

  private void finishWithoutTrailers(Status status, Http2Error reset) {
    if (finished) {
      return;
    }
    finished = true;
    traceClosed(status, null);
    cancelled = true;
    cancelDeadlineTimer();
    deframer.close();
    if (reset != null) {
      stream.reset(reset);
      connection.flush();
    }
  }

  private void traceClosed(Status status, Metadata trailers) {
    if (Tracing.watched(tracer)) {
      tracer.closed(status, trailers == null ? new Metadata() : trailers);
    }
  }

  private void cancelDeadlineTimer() {
    if (deadlineTimer != null) {
      deadlineTimer.cancel(false);
      deadlineTimer = null;
    }
  }

  private interface Event<ReqT> {
    void deliver(Listener<ReqT> listener);
  }

  private void deliver(Event<ReqT> event) {
    if (finished) {
      return;
    }
    try {
      event.deliver(listener);
    } catch (Throwable t) {
      failFromApplication(t);
    }
  }

  private void safely(Event<ReqT> event) {
    try {
      event.deliver(listener);
    } catch (Throwable t) {
      log.log(Level.WARNING, "listener of " + method.descriptor() + " threw", t);
    }
  }

  /** Application code threw: it ends the call as the server's exception mapper says. */
  private void failFromApplication(Throwable t) {
    Failures.Failure failure =
        Failures.of(t, protocol.exceptionMapper(), method.descriptor().fullName());
    endByServer(failure.status(), failure.trailers(), ServerEnd.TRAILERS);
  }
}
