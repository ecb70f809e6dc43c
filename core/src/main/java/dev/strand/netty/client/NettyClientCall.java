package dev.strand.netty.client;

import dev.strand.Deadline;
import dev.strand.Metadata;
import dev.strand.MethodDescriptor;
import dev.strand.Status;
import dev.strand.StatusException;
import dev.strand.client.CallOptions;
import dev.strand.client.ClientCall;
import dev.strand.internal.call.Tracing;
import dev.strand.internal.client.CallRouter;
import dev.strand.internal.client.PickWaits;
import dev.strand.netty.framing.MessageDeframer;
import dev.strand.netty.framing.MessageFramer;
import dev.strand.netty.framing.MessageReader;
import dev.strand.netty.grpc.GrpcServerCall;
import dev.strand.netty.headers.BlockWithMetadata;
import dev.strand.netty.headers.HeadersCodec;
import dev.strand.netty.headers.SharedHeaders;
import dev.strand.spi.ClientCallTracer;
import dev.strand.spi.LoadBalancer;
import dev.strand.wire.Codec;
import dev.strand.wire.CodecRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One client call. Its commands reach the event loop of its connection through a {@link
 * CallRouter}; all stream state lives on that event loop.
 */
public final class NettyClientCall<ReqT, RespT>
    implements ClientCall<ReqT, RespT>, MessageDeframer.Sink, LoadBalancer.PickArgs, PickWaits {
  private static final Logger log = Logger.getLogger(NettyClientCall.class.getName());

  private final NettyChannel channel;
  private final ClientConnection pinned;
  private final MethodDescriptor<ReqT, RespT> method;
  private final CallOptions options;
  private final Codec requestCodec;
  private final int maxMessageSize;

  /** A DATA write failed: the stream is gone, so the call is never ready again. */
  private volatile boolean writeFailed;

  private final AtomicInteger queuedBytes = new AtomicInteger();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CallRouter<ClientConnection> router = new CallRouter<>(closed);
  private Listener<RespT> listener;
  private volatile Metadata requestHeaders;
  private ScheduledFuture<?> deadlineTimer;
  private long startedNanos;
  private volatile boolean halfClosed;
  private volatile boolean messageCompression = true;
  private volatile boolean cancelRequested;

  /** The call this is an attempt of (its own, or a retrying call's), and this attempt's view. */
  private volatile ClientCallTracer.Call callTracer = Tracing.CLIENT_NONE;

  private volatile ClientCallTracer.Attempt tracer = Tracing.ATTEMPT_NONE;

  /** False if a retrying call owns the call's tracer and ends it itself. */
  private boolean endsCallTracer;

  private int previousAttempts;

  /**
   * This attempt's pick waited, so its stream's creation is an event for the tracer. Set before the
   * connection is handed over (which orders it before the stream is made on the event loop).
   */
  private boolean pickWaited;

  // Event-loop state.
  private int streamId = -1;

  /**
   * What the stream has written, kept until the response headers come, so that a stream the server
   * refused (RST_STREAM REFUSED_STREAM) or never processed (above a GOAWAY's last stream id) can be
   * sent again, once, on another connection (A6's transparent retry). Made at the first write, so a
   * call that writes nothing allocates nothing for it.
   */
  private java.util.List<ByteBuf> replay;

  /** False once nothing more is kept: after {@link #REPLAY_LIMIT}, the headers, the one retry. */
  private boolean replayable = true;

  private int replayBytes;
  private boolean halfCloseWritten;

  /** Messages the application has asked for, so a replayed stream asks for as many. */
  private int requested;

  /** Calls that wrote more than this before any response are not replayed. */
  static final int REPLAY_LIMIT = 64 * 1024;

  private MessageDeframer deframer;
  private boolean headersReceived;
  private Codec responseCodec;
  private Status pendingStatus;
  private Metadata pendingTrailers;

  NettyClientCall(NettyChannel channel, MethodDescriptor<ReqT, RespT> method, CallOptions options) {
    this(channel, method, options, null);
  }

  /**
   * {@code pinned}: the call runs on this connection, whatever the policy would pick, and is not
   * one of the channel's calls (not traced, not counted for idle mode): a subchannel's health
   * Watch. Null for an ordinary call.
   */
  NettyClientCall(
      NettyChannel channel,
      MethodDescriptor<ReqT, RespT> method,
      CallOptions options,
      ClientConnection pinned) {
    this.channel = channel;
    this.pinned = pinned;
    this.method = method;
    this.options = options;
    String compression =
        options.compression() != null ? options.compression() : channel.config().compression();
    this.requestCodec =
        compression == null || CodecRegistry.IDENTITY.equals(compression)
            ? null
            : CodecRegistry.getDefault().lookup(compression);
    if (compression != null
        && requestCodec == null
        && !CodecRegistry.IDENTITY.equals(compression)) {
      throw new IllegalArgumentException("no codec registered for '" + compression + "'");
    }
    this.maxMessageSize =
        options.maxInboundMessageSize() >= 0
            ? options.maxInboundMessageSize()
            : channel.config().maxInboundMessageSize();
  }

  // ---- What the load-balancing policy's picker sees (any thread) ----

  @Override
  public String fullMethodName() {
    return method.fullName();
  }

  @Override
  public Metadata headers() {
    return requestHeaders;
  }

  @Override
  public boolean waitsForReady() {
    return options.waitForReady();
  }

  // ---- What the channel tells of the call's waits for a connection (for the tracer) ----

  @Override
  public void resolutionWaitEnded() {
    // The first attempt tells it: a hedge sent while the first still waited would tell it again.
    // A call that ended while it waited (cancelled, past its deadline) has nothing more to say.
    if (previousAttempts == 0 && !closed.get()) {
      callTracer.delayedNameResolutionComplete();
    }
  }

  @Override
  public void pickQueued() {
    pickWaited = true;
  }

  // ---- ClientCall API (any thread) ----

  @Override
  public void start(Listener<RespT> listener, Metadata headers) {
    synchronized (this) {
      if (this.listener != null) {
        throw new IllegalStateException("call already started");
      }
      this.listener = listener;
      this.requestHeaders = headers;
    }
    if (pinned == null) {
      channel.callStarted();
      Tracing.AttemptOf attemptOf = options.option(Tracing.ATTEMPT_OF);
      if (attemptOf != null) {
        callTracer = attemptOf.call();
        previousAttempts = attemptOf.previousAttempts();
      } else {
        callTracer = Tracing.start(channel.config().tracer(), method, channel.authority());
        endsCallTracer = true;
      }
      if (Tracing.watched(callTracer)) {
        tracer = callTracer.attemptStarted(previousAttempts, false);
      }
    }
    Deadline deadline = options.effectiveDeadline();
    if (deadline != null) {
      long nanos = deadline.remainingNanos();
      if (nanos <= 0) {
        closeAsync(
            Status.DEADLINE_EXCEEDED.withDescription(
                "deadline was already exceeded before the call started"),
            new Metadata());
        return;
      }
      startedNanos = System.nanoTime();
      deadlineTimer =
          ClientResources.eventLoopGroup().schedule(this::onDeadline, nanos, TimeUnit.NANOSECONDS);
    }
    submit(() -> writeStart(headers));
    (pinned != null
            ? java.util.concurrent.CompletableFuture.completedFuture(pinned)
            : channel.connectionForNewCall(this))
        .whenComplete(
            (conn, error) -> {
              if (error != null) {
                Status status =
                    error instanceof StatusException se
                        ? se.status()
                        : Status.UNAVAILABLE
                            .withDescription(
                                "cannot connect to "
                                    + channel.authority()
                                    + ": "
                                    + error.getMessage())
                            .withCause(error);
                closeAsync(status, new Metadata());
                return;
              }
              attach(conn);
            });
  }

  @Override
  public void request(int n) {
    submit(
        () -> {
          requested += n;
          if (deframer != null) {
            deframer.request(n);
          }
        });
  }

  @Override
  public void sendMessage(ReqT message) {
    if (halfClosed) {
      throw new IllegalStateException("sendMessage after halfClose");
    }
    if (closed.get() || cancelRequested) {
      return;
    }
    ByteBuf frame;
    try {
      frame =
          MessageFramer.frame(
              method.requestMarshaller(),
              message,
              io.netty.buffer.ByteBufAllocator.DEFAULT,
              messageCompression ? requestCodec : null);
    } catch (Exception e) {
      cancel("cannot serialize request", e);
      return;
    }
    int size = frame.readableBytes();
    int limit = options.maxOutboundMessageSize();
    if (limit >= 0 && size - MessageFramer.HEADER_LENGTH > limit) {
      frame.release();
      cancelWith(
          Status.RESOURCE_EXHAUSTED.withDescription(
              "request message of "
                  + (size - MessageFramer.HEADER_LENGTH)
                  + " bytes is larger than the limit of "
                  + limit
                  + " bytes"));
      return;
    }
    queuedBytes.addAndGet(size);
    if (!submit(() -> writeMessage(frame, size))) {
      frame.release();
    }
  }

  @Override
  public void halfClose() {
    halfClosed = true;
    submit(this::writeHalfClose);
  }

  @Override
  public void cancel(String message, Throwable cause) {
    Status status =
        Status.CANCELLED
            .withDescription(message == null ? "cancelled by client" : message)
            .withCause(cause);
    cancelWith(status);
  }

  @Override
  public void setMessageCompression(boolean enabled) {
    messageCompression = enabled;
  }

  @Override
  public boolean isReady() {
    return !closed.get() && !writeFailed && queuedBytes.get() < GrpcServerCall.READY_THRESHOLD;
  }

  // ---- Command routing ----

  private boolean submit(Runnable command) {
    return router.submit(command);
  }

  private void attach(ClientConnection conn) {
    if (!router.attach(conn)) {
      releasePending();
    }
  }

  private void releasePending() {
    // Commands that never ran may hold buffers: running them after close releases them.
    router.drain().forEach(Runnable::run);
  }

  private void cancelWith(Status status) {
    cancelRequested = true;
    ClientConnection conn = router.connection();
    if (conn == null) {
      closeAsync(status, new Metadata());
      return;
    }
    conn.writeQueue()
        .enqueue(
            () -> {
              if (streamId > 0 && !closed.get()) {
                conn.handler().resetStream(streamId, Http2Error.CANCEL);
              }
              closeOnEventLoop(status, new Metadata());
            });
  }

  private void onDeadline() {
    cancelWith(deadlineExceeded(""));
  }

  /** DEADLINE_EXCEEDED saying what the deadline was and where the time went. */
  private Status deadlineExceeded(String detail) {
    long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    String where;
    synchronized (this) {
      where =
          router.connection() == null
              ? "waiting for a connection to " + channel.authority()
              : "waiting for the server";
    }
    // Name the timeout as configured (300 ms, not the 299 ms left when the call started).
    Deadline deadline = options.effectiveDeadline();
    String whose = deadline == options.deadline() ? "" : " (the deadline of the call being served)";
    return Status.DEADLINE_EXCEEDED.withDescription(
        "deadline of "
            + deadline.timeout().toMillis()
            + " ms exceeded after "
            + elapsed
            + " ms "
            + where
            + detail
            + whose);
  }

  // ---- Event loop: writes ----

  private void writeStart(Metadata metadata) {
    if (closed.get()) {
      return;
    }
    ClientHandler handler = router.connection().handler();
    if (handler.connection().goAwayReceived() && pinned != null) {
      closeOnEventLoop(
          Status.UNAVAILABLE.withDescription("the connection went away"), new Metadata());
      return;
    }
    if (handler.connection().goAwayReceived()) {
      router.reroute(
          () -> writeStart(metadata),
          channel.connectionForNewCall(this),
          error ->
              closeAsync(
                  Status.UNAVAILABLE
                      .withDescription(
                          "connection went away and no "
                              + "new one could be made: "
                              + error.getMessage())
                      .withCause(error),
                  new Metadata()));
      return;
    }
    Http2Headers headers = requestHeaders(traced(metadata));
    long size = HeadersCodec.listSize(headers);
    long limit = handler.peerMaxHeaderListSize();
    if (size > limit) {
      // Not UNAVAILABLE: the same headers would fail on any connection to this server.
      closeOnEventLoop(
          HeadersCodec.tooLarge("request headers", size, limit, "server"), new Metadata());
      return;
    }
    streamId = handler.newStream(this);
    if (streamId < 0) {
      closeOnEventLoop(
          Status.UNAVAILABLE.withDescription("connection ran out of stream ids"), new Metadata());
      return;
    }
    if (pickWaited) {
      pickWaited = false;
      tracer.delayedPickComplete();
    }
    deframer = new MessageDeframer(this, handler.ctx().alloc(), maxMessageSize);
    handler
        .writeHeaders(streamId, headers, false)
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                closeOnEventLoop(
                    Status.UNAVAILABLE
                        .withDescription("could not start the call: " + f.cause())
                        .withCause(f.cause()),
                    new Metadata());
              }
            });
  }

  /**
   * The headers this attempt sends: the call's own, plus whatever the tracer adds (a trace
   * context), added to a copy so that the application's and a later attempt's stay as they were.
   */
  private Metadata traced(Metadata metadata) {
    if (!Tracing.watched(tracer)) {
      return metadata;
    }
    Metadata sent = new Metadata();
    if (metadata != null) {
      sent.merge(metadata);
    }
    tracer.outboundHeaders(sent);
    return sent;
  }

  private Http2Headers requestHeaders(Metadata metadata) {
    AsciiString scheme = router.connection().secure() ? HeadersCodec.HTTPS : HeadersCodec.HTTP;
    Deadline deadline = options.effectiveDeadline();
    if (deadline == null && requestCodec == null) {
      SharedHeaders plain = channel.plainRequestHeaders(method.path(), scheme);
      // Metadata (a trace context, a token) goes after the shared block, not into a copy of it.
      return metadata == null || metadata.isEmpty() ? plain : BlockWithMetadata.of(plain, metadata);
    }
    return HeadersCodec.requestHeaders(
        scheme,
        channel.pathHeader(method.path()),
        channel.authorityHeader(),
        channel.userAgentHeader(),
        deadline,
        requestCodec,
        metadata);
  }

  private void writeMessage(ByteBuf frame, int size) {
    if (closed.get() || streamId < 0) {
      frame.release();
      queuedBytes.addAndGet(-size);
      return;
    }
    tracer.outboundMessage(size - MessageFramer.HEADER_LENGTH);
    if (replayable) {
      if (replayBytes + size <= REPLAY_LIMIT) {
        if (replay == null) {
          replay = new java.util.ArrayList<>(1);
        }
        replay.add(frame.retainedDuplicate());
        replayBytes += size;
      } else {
        releaseReplay();
      }
    }
    router.connection().handler().writeMessage(streamId, frame, this::onBytesSent);
  }

  private void writeHalfClose() {
    if (closed.get() || streamId < 0) {
      return;
    }
    ClientHandler handler = router.connection().handler();
    halfCloseWritten = true;
    handler.writeData(streamId, handler.ctx().alloc().buffer(0), true, handler.ctx().newPromise());
  }

  private void onBytesSent(int size, boolean written) {
    if (!written) {
      // The stream is gone; see GrpcServerCall.onBytesSent.
      writeFailed = true;
    }
    int after = queuedBytes.addAndGet(-size);
    if (after + size >= GrpcServerCall.READY_THRESHOLD
        && after < GrpcServerCall.READY_THRESHOLD
        && !closed.get()
        && !writeFailed) {
      safely(Listener::onReady);
    }
  }

  // ---- Event loop: inbound ----

  void onHeaders(Http2Headers headers, boolean endStream) {
    if (closed.get()) {
      return;
    }
    if (!headersReceived) {
      CharSequence httpStatus = headers.status();
      if (httpStatus != null && httpStatus.length() == 3 && httpStatus.charAt(0) == '1') {
        return; // An informational (1xx) block: the real response head follows.
      }
      headersReceived = true;
      releaseReplay(); // the server has seen the call: never replayed now
      if (endStream) {
        // Trailers-Only, or a non-gRPC error response.
        closeOnEventLoop(HeadersCodec.statusOf(headers, true), HeadersCodec.toMetadata(headers));
        return;
      }
      Status notGrpc = HeadersCodec.statusOfHttp(headers);
      if (notGrpc != null) {
        failStream(notGrpc);
        return;
      }
      CharSequence encoding = headers.get(HeadersCodec.GRPC_ENCODING);
      if (encoding != null && !AsciiString.contentEquals(encoding, CodecRegistry.IDENTITY)) {
        responseCodec = CodecRegistry.getDefault().lookup(encoding.toString());
        if (responseCodec == null) {
          failStream(
              Status.INTERNAL.withDescription(
                  "server used grpc-encoding '"
                      + encoding
                      + "', which this client does not support"));
          return;
        }
      }
      Metadata metadata = HeadersCodec.toMetadata(headers);
      tracer.inboundHeaders(metadata);
      safely(l -> l.onHeaders(metadata));
      return;
    }
    if (!endStream) {
      failStream(Status.INTERNAL.withDescription("trailers without END_STREAM"));
      return;
    }
    Status status = HeadersCodec.statusOf(headers, false);
    Metadata trailers = HeadersCodec.toMetadata(headers);
    if (!status.isOk()) {
      closeOnEventLoop(status, trailers);
      return;
    }
    // Deliver every message that came before the trailers first.
    pendingStatus = status;
    pendingTrailers = trailers;
    deframer.endOfStream();
  }

  void onData(ByteBuf data, boolean endOfStream) {
    if (closed.get() || deframer == null) {
      data.release();
      return;
    }
    if (!headersReceived) {
      data.release();
      failStream(Status.INTERNAL.withDescription("server sent DATA before HEADERS"));
      return;
    }
    deframer.feed(data);
    if (endOfStream) {
      failStream(Status.INTERNAL.withDescription("server ended the stream without trailers"));
    }
  }

  void onReset(long errorCode) {
    Status status;
    Deadline deadline = options.effectiveDeadline();
    if (errorCode == Http2Error.CANCEL.code() && deadline != null && deadline.isExpired()) {
      // The server gave up at our deadline, a moment before our own timer fired.
      status = deadlineExceeded(" (the server cancelled the stream at the deadline)");
    } else if (errorCode == Http2Error.CANCEL.code()) {
      status = Status.CANCELLED.withDescription("server cancelled the stream");
    } else if (errorCode == Http2Error.REFUSED_STREAM.code()) {
      if (retryTransparently()) {
        return; // the server did no work for it: sent again elsewhere
      }
      status = Status.UNAVAILABLE.withDescription("server refused the stream");
    } else if (errorCode == Http2Error.ENHANCE_YOUR_CALM.code()) {
      status = Status.RESOURCE_EXHAUSTED.withDescription("server said ENHANCE_YOUR_CALM");
    } else if (errorCode == Http2Error.INADEQUATE_SECURITY.code()) {
      status =
          Status.PERMISSION_DENIED.withDescription("server reset the stream: INADEQUATE_SECURITY");
    } else if (errorCode == Http2Error.NO_ERROR.code() && pendingStatus != null) {
      return; // Trailers already arrived; the reset only frees the stream.
    } else {
      status =
          Status.INTERNAL.withDescription("server reset the stream with HTTP/2 error " + errorCode);
    }
    closeOnEventLoop(status, new Metadata());
  }

  void onStreamClosed() {
    if (closed.get()) {
      return;
    }
    if (pendingStatus != null && !deframer.isDrained()) {
      // Trailers arrived; messages are still waiting to be requested. Keep the call.
      return;
    }
    io.netty.handler.codec.http2.Http2Connection http2 = router.connection().handler().connection();
    if (!headersReceived
        && http2.goAwayReceived()
        && streamId > http2.local().lastStreamKnownByPeer()
        && retryTransparently()) {
      return; // above the GOAWAY's last stream id: the server never processed it
    }
    String reason = router.connection().goAwayReason();
    closeOnEventLoop(
        Status.UNAVAILABLE.withDescription(
            reason != null ? "connection is going away: " + reason : "connection closed"),
        new Metadata());
  }

  @Override
  public void onMessage(ByteBuf message, boolean compressed) {
    if (closed.get()) {
      message.release();
      return;
    }
    tracer.inboundMessage(message.readableBytes());
    RespT response;
    try {
      response =
          MessageReader.read(
              message, compressed, responseCodec, method.responseMarshaller(), maxMessageSize);
    } catch (StatusException e) {
      failStream(e.status());
      return;
    }
    safely(l -> l.onMessage(response));
  }

  @Override
  public void onEnd() {
    if (pendingStatus != null) {
      closeOnEventLoop(pendingStatus, pendingTrailers);
    }
  }

  @Override
  public void onError(Status status) {
    failStream(status);
  }

  @Override
  public void returnBytes(int bytes) {
    router.connection().handler().returnBytes(streamId, bytes);
  }

  /** Something the server sent is wrong: reset the stream and end the call with this status. */
  private void failStream(Status status) {
    int id = streamId;
    // Close first: resetting closes the stream, which would otherwise report UNAVAILABLE.
    closeOnEventLoop(status, new Metadata());
    if (id > 0) {
      router.connection().handler().resetStream(id, Http2Error.CANCEL);
      router.connection().handler().ctx().flush();
    }
  }

  // ---- Closing ----

  /**
   * Closes a call that may not have reached its connection yet. Once attached, closing must happen
   * on the connection's event loop, where the stream state lives; before that, the lock keeps
   * {@link #attach} from racing with the close.
   */
  private void closeAsync(Status status, Metadata trailers) {
    ClientConnection conn = router.connection();
    if (conn == null && !router.closeBeforeAttach()) {
      conn = router.connection(); // attached meanwhile, or already closed
      if (conn == null) {
        return;
      }
    }
    if (conn != null) {
      conn.writeQueue().enqueue(() -> closeOnEventLoop(status, trailers));
      return;
    }
    if (deadlineTimer != null) {
      deadlineTimer.cancel(false);
    }
    releasePending();
    // Deliver later, never from inside start() or cancel() on the caller's stack.
    ClientResources.eventLoopGroup().next().execute(() -> deliverClose(status, trailers));
  }

  /**
   * A6's transparent retry: the stream never reached the server's application, so it is sent again,
   * once, on a connection the channel picks anew, with what it had written, and without counting as
   * an attempt of a retry policy. False if it cannot be (nothing kept, already done).
   */
  private boolean retryTransparently() {
    if (!replayable || headersReceived || closed.get() || cancelRequested) {
      return false;
    }
    java.util.List<ByteBuf> frames = replay == null ? java.util.List.of() : replay;
    replayable = false;
    boolean halfClose = halfCloseWritten;
    replay = null; // once only
    replayBytes = 0;
    halfCloseWritten = false;
    router.connection().handler().forget(streamId);
    streamId = -1;
    if (Tracing.watched(tracer)) {
      tracer.closed(
          Status.UNAVAILABLE.withDescription("the server did not process the stream: sent again"),
          new Metadata());
      tracer = callTracer.attemptStarted(previousAttempts, true);
    }
    pickWaited = false; // the new attempt's pick is its own
    if (deframer != null) {
      deframer.close();
      deframer = null;
    }
    router.reroute(
        () -> {
          writeStart(requestHeaders);
          if (deframer != null && requested > 0) {
            deframer.request(requested); // nothing was delivered: the old stream sent no headers
          }
          for (ByteBuf frame : frames) {
            if (streamId < 0 || closed.get()) {
              frame.release();
              continue;
            }
            queuedBytes.addAndGet(frame.readableBytes());
            writeMessage(frame, frame.readableBytes());
          }
          if (halfClose) {
            writeHalfClose();
          }
        },
        channel.connectionForNewCall(this),
        error -> {
          frames.forEach(ByteBuf::release);
          closeAsync(
              Status.UNAVAILABLE
                  .withDescription(
                      "the server refused the stream and no other connection could be made: "
                          + error.getMessage())
                  .withCause(error),
              new Metadata());
        });
    return true;
  }

  private void releaseReplay() {
    replayable = false;
    if (replay != null) {
      replay.forEach(ByteBuf::release);
      replay = null;
    }
    replayBytes = 0;
  }

  private void closeOnEventLoop(Status status, Metadata trailers) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    releaseReplay();
    if (deadlineTimer != null) {
      deadlineTimer.cancel(false);
    }
    if (deframer != null) {
      deframer.close();
    }
    if (streamId > 0 && router.connection() != null) {
      router.connection().handler().forget(streamId);
    }
    releasePending();
    deliverClose(status, trailers);
  }

  private void deliverClose(Status status, Metadata trailers) {
    if (pinned == null) {
      channel.callEnded();
    }
    tracer.closed(status, trailers);
    if (endsCallTracer) {
      callTracer.closed(status, trailers);
    }
    Listener<RespT> l;
    synchronized (this) {
      l = listener;
    }
    try {
      l.onClose(status, trailers);
    } catch (Throwable t) {
      log.log(Level.WARNING, "onClose of " + method + " threw", t);
    }
  }

  private interface Event<RespT> {
    void deliver(Listener<RespT> listener);
  }

  private void safely(Event<RespT> event) {
    try {
      event.deliver(listener);
    } catch (Throwable t) {
      log.log(Level.WARNING, "listener of " + method + " threw; cancelling the call", t);
      failStream(Status.CANCELLED.withDescription("listener threw: " + t).withCause(t));
    }
  }
}
