package dev.strand.web.client;

import dev.strand.Deadline;
import dev.strand.Metadata;
import dev.strand.MethodDescriptor;
import dev.strand.Status;
import dev.strand.client.CallOptions;
import dev.strand.client.ClientCall;
import dev.strand.spi.ClientCallTracer;
import dev.strand.wire.Codec;
import dev.strand.wire.CodecRegistry;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One call as an HTTP/1.1 exchange: the request goes out when the call half-closes (it carries the
 * one message these protocols send over HTTP/1.1), and the response body is read as the application
 * asks for messages, so a slow reader holds the server back through TCP rather than filling memory.
 * Every state change runs on the call's {@link SerialExecutor}, so the HTTP client's threads, the
 * deadline timer and the application never race; the listener is called from there too, one
 * callback at a time.
 */
final class WebClientCall<ReqT, RespT> implements ClientCall<ReqT, RespT>, ResponseSink {
  private final WebChannel channel;
  private final MethodDescriptor<ReqT, RespT> method;
  private final CallOptions options;
  private final SerialExecutor serial;

  /** The tracer's view of this call and of its one attempt (no retries over HTTP/1.1), or null. */
  private final ClientCallTracer.Call traced;

  private final ClientCallTracer.Attempt trace;

  // Below: touched on the serial executor only.
  private Listener<RespT> listener;
  private Metadata headers;
  private byte[] request;
  private boolean compress = true;
  private boolean started;
  private boolean closed;
  private int demand;
  private final ArrayDeque<RespT> received = new ArrayDeque<>();
  private Status outcome;
  private Metadata outcomeTrailers;
  private ResponseReader reader;
  private Flow.Subscription body;
  private boolean pieceRequested;
  private boolean bodyDone;
  private CompletableFuture<?> exchange;
  private ScheduledFuture<?> deadlineTimer;

  WebClientCall(WebChannel channel, MethodDescriptor<ReqT, RespT> method, CallOptions options) {
    this.channel = channel;
    this.method = method;
    this.options = options;
    this.serial = new SerialExecutor(channel.executor());
    ClientCallTracer tracer = channel.tracer();
    this.traced = tracer == null ? null : tracer.callStarted(method, channel.authority());
    this.trace = traced == null ? null : traced.attemptStarted(0, false);
  }

  @Override
  public void start(Listener<RespT> listener, Metadata headers) {
    serial.execute(() -> onStart(listener, headers));
  }

  private void onStart(Listener<RespT> callListener, Metadata callHeaders) {
    if (started) {
      throw new IllegalStateException("call already started");
    }
    started = true;
    this.listener = callListener;
    this.headers = callHeaders;
    if (!method.type().clientSendsOneMessage()) {
      finish(
          Status.UNIMPLEMENTED.withDescription(
              channel.protocol()
                  + " over HTTP/1.1 carries unary and server-streaming calls; "
                  + method.fullName()
                  + " is "
                  + method.type()),
          new Metadata());
      return;
    }
    if (!channel.register(this)) {
      finish(Status.UNAVAILABLE.withDescription("channel shut down"), new Metadata());
      return;
    }
    Deadline deadline = options.effectiveDeadline();
    if (deadline != null) {
      long remaining = deadline.remainingNanos();
      if (remaining <= 0) {
        finish(deadlineExceeded(), new Metadata());
        return;
      }
      deadlineTimer =
          channel
              .timers()
              .schedule(
                  () -> serial.execute(() -> finish(deadlineExceeded(), new Metadata())),
                  remaining,
                  TimeUnit.NANOSECONDS);
    }
  }

  private static Status deadlineExceeded() {
    return Status.DEADLINE_EXCEEDED.withDescription("deadline exceeded before the response ended");
  }

  @Override
  public void request(int n) {
    if (n <= 0) {
      throw new IllegalArgumentException("request(" + n + ")");
    }
    serial.execute(
        () -> {
          demand = (int) Math.min(Integer.MAX_VALUE, (long) demand + n);
          pump();
        });
  }

  @Override
  public void sendMessage(ReqT message) {
    byte[] bytes = serialize(message);
    serial.execute(
        () -> {
          if (closed) {
            return;
          }
          if (request != null) {
            finish(
                Status.INTERNAL.withDescription(method.fullName() + " sends one request message"),
                new Metadata());
            return;
          }
          int limit = options.maxOutboundMessageSize();
          if (limit >= 0 && bytes.length > limit) {
            finish(
                Status.RESOURCE_EXHAUSTED.withDescription(
                    "request message of " + bytes.length + " bytes is over the limit of " + limit),
                new Metadata());
            return;
          }
          request = bytes;
        });
  }

  private byte[] serialize(ReqT message) {
    var marshaller = method.requestMarshaller();
    ByteBuffer buffer = ByteBuffer.allocate(marshaller.sizeOf(message));
    try {
      marshaller.write(message, buffer);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return buffer.array();
  }

  @Override
  public void halfClose() {
    serial.execute(
        () -> {
          if (closed) {
            return;
          }
          if (request == null) {
            finish(
                Status.INTERNAL.withDescription(method.fullName() + " half-closed with no message"),
                new Metadata());
            return;
          }
          send();
        });
  }

  @Override
  public void cancel(String message, Throwable cause) {
    serial.execute(
        () -> {
          Status cancelled = Status.CANCELLED.withDescription(message);
          finish(cause == null ? cancelled : cancelled.withCause(cause), new Metadata());
        });
  }

  @Override
  public boolean isReady() {
    return true; // the one message is held until half-close
  }

  @Override
  public void setMessageCompression(boolean enabled) {
    serial.execute(() -> compress = enabled);
  }

  private void send() {
    HttpRequest.Builder builder = HttpRequest.newBuilder(channel.uriFor(method));
    builder.header("user-agent", channel.userAgent());
    Deadline deadline = options.effectiveDeadline();
    Codec codec = compress ? codec() : null;
    Metadata sent = headers;
    if (trace != null) {
      // The tracer may add its own (a trace context): to a copy, before they are written.
      sent = new Metadata();
      if (headers != null) {
        sent.merge(headers);
      }
      trace.outboundHeaders(sent);
    }
    try {
      WebHeaders.write(builder, sent, channel.wire() instanceof GrpcWebWire);
      channel
          .wire()
          .writeRequest(
              builder, method, request, deadline == null ? -1 : deadline.remainingNanos(), codec);
    } catch (IllegalArgumentException unsendable) {
      finish(
          Status.INTERNAL
              .withDescription("request headers cannot be sent: " + unsendable.getMessage())
              .withCause(unsendable),
          new Metadata());
      return;
    }
    if (trace != null) {
      trace.outboundMessage(request.length);
    }
    HttpResponse.BodyHandler<Void> handler = info -> new BodyReader(info);
    exchange =
        channel
            .http()
            .sendAsync(builder.build(), handler)
            .whenComplete((response, error) -> serial.execute(() -> exchangeEnded(error)));
  }

  private Codec codec() {
    String name = options.compression() != null ? options.compression() : channel.compression();
    return name == null || CodecRegistry.IDENTITY.equals(name)
        ? null
        : CodecRegistry.getDefault().lookup(name);
  }

  private void exchangeEnded(Throwable error) {
    if (error == null || closed) {
      return;
    }
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    channel.connectFailed(cause instanceof ConnectException);
    finish(
        Status.UNAVAILABLE.withDescription("HTTP/1.1 exchange failed: " + cause).withCause(cause),
        new Metadata());
  }

  /** The response's body subscriber: each event hops onto the call's serial executor. */
  private final class BodyReader implements HttpResponse.BodySubscriber<Void> {
    private final HttpResponse.ResponseInfo info;
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    BodyReader(HttpResponse.ResponseInfo info) {
      this.info = info;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      serial.execute(() -> responseStarted(info, subscription));
    }

    @Override
    public void onNext(List<ByteBuffer> pieces) {
      serial.execute(() -> bodyPieces(pieces));
    }

    @Override
    public void onError(Throwable error) {
      done.completeExceptionally(error);
      serial.execute(
          () ->
              finish(
                  Status.UNAVAILABLE
                      .withDescription("connection lost while reading the response: " + error)
                      .withCause(error),
                  new Metadata()));
    }

    @Override
    public void onComplete() {
      done.complete(null);
      serial.execute(WebClientCall.this::bodyEnded);
    }

    @Override
    public java.util.concurrent.CompletionStage<Void> getBody() {
      return done;
    }
  }

  private void responseStarted(HttpResponse.ResponseInfo info, Flow.Subscription subscription) {
    body = subscription;
    if (closed) {
      subscription.cancel();
      return;
    }
    channel.connected();
    reader =
        channel
            .wire()
            .reader(
                method, info.statusCode(), info.headers(), new WebWire.Limits(maxInbound()), this);
    pump();
  }

  private int maxInbound() {
    int limit = options.maxInboundMessageSize();
    return limit >= 0 ? limit : channel.maxInboundMessageSize();
  }

  private void bodyPieces(List<ByteBuffer> pieces) {
    pieceRequested = false;
    if (closed) {
      return;
    }
    for (ByteBuffer piece : pieces) {
      reader.onBody(piece);
      if (closed) {
        return;
      }
    }
    pump();
  }

  private void bodyEnded() {
    bodyDone = true;
    if (!closed) {
      reader.onEnd();
      pump();
    }
  }

  @Override
  public void headers(Metadata responseHeaders) {
    if (trace != null) {
      trace.inboundHeaders(responseHeaders);
    }
    safely(() -> listener.onHeaders(responseHeaders));
  }

  @Override
  public void message(byte[] message, int wireSize) {
    if (trace != null) {
      trace.inboundMessage(wireSize);
    }
    RespT parsed;
    try {
      parsed = method.responseMarshaller().parse(ByteBuffer.wrap(message));
    } catch (IOException | RuntimeException e) {
      fail(Status.INTERNAL.withDescription("could not parse the response message").withCause(e));
      return;
    }
    received.add(parsed);
  }

  @Override
  public void close(Status status, Metadata trailers) {
    outcome = status;
    outcomeTrailers = trailers;
  }

  @Override
  public void fail(Status status) {
    finish(status, new Metadata());
  }

  /** Hands over what was asked for and is here, then the outcome; reads more when it runs dry. */
  private void pump() {
    while (!closed && demand > 0 && !received.isEmpty()) {
      demand--;
      RespT next = received.poll();
      safely(() -> listener.onMessage(next));
    }
    if (closed) {
      return;
    }
    if (received.isEmpty() && outcome != null) {
      finish(outcome, outcomeTrailers);
    } else if (received.isEmpty() && body != null && !bodyDone && !pieceRequested) {
      pieceRequested = true;
      body.request(1);
    }
  }

  /** Ends the call once: stops the exchange if it is still going, and tells the listener. */
  private void finish(Status status, Metadata trailers) {
    if (closed) {
      return;
    }
    closed = true;
    received.clear();
    if (deadlineTimer != null) {
      deadlineTimer.cancel(false);
    }
    if (!bodyDone) {
      if (body != null) {
        body.cancel();
      } else if (exchange != null) {
        exchange.cancel(true);
      }
    }
    if (trace != null) {
      trace.closed(status, trailers);
    }
    if (traced != null) {
      traced.closed(status, trailers);
    }
    channel.unregister(this);
    if (listener != null) {
      Listener<RespT> last = listener;
      try {
        last.onClose(status, trailers);
      } catch (RuntimeException e) {
        System.getLogger(WebClientCall.class.getName())
            .log(System.Logger.Level.WARNING, "listener.onClose threw", e);
      }
    }
  }

  /** Runs a listener callback; one that throws cancels the call, as gRPC's clients do. */
  private void safely(Runnable callback) {
    try {
      callback.run();
    } catch (RuntimeException e) {
      finish(
          Status.CANCELLED.withDescription("the call's listener threw").withCause(e),
          new Metadata());
    }
  }

  /** Called when the channel shuts down now. */
  void abort(Status status) {
    serial.execute(() -> finish(status, new Metadata()));
  }
}
