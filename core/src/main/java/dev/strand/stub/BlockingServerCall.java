package dev.strand.stub;

import dev.strand.Metadata;
import dev.strand.Status;
import dev.strand.internal.call.Failures;
import dev.strand.server.ServerCall;

/**
 * Runs one call of a blocking handler: events arrive on the event loop and only touch queues and
 * gates; the handler itself runs on the call's blocking executor with its ServerContext.
 */
final class BlockingServerCall<ReqT, RespT> implements StreamSink<RespT>, CallEvents {

  private final ServerCall<ReqT, RespT> call;
  private final ServerContext context;
  private final ReadyGate gate;
  private volatile boolean headersSent;
  private volatile boolean closed;

  BlockingServerCall(ServerCall<ReqT, RespT> call, Metadata headers) {
    this.call = call;
    this.context = new ServerContext(call, headers);
    this.gate = new ReadyGate(call::isReady);
  }

  /** A body of handler code that produces no value and may throw. */
  interface Body {
    void run() throws Exception;
  }

  void runOnExecutor(Body body) {
    try {
      call.blockingExecutor().execute(() -> runAttached(body));
    } catch (RuntimeException rejected) {
      finish(
          Status.RESOURCE_EXHAUSTED
              .withDescription("server is too busy to run the handler")
              .withCause(rejected));
    }
  }

  private void runAttached(Body body) {
    ServerContext previous = context.attach();
    try {
      body.run();
      finish(Status.OK);
    } catch (Throwable t) {
      Failures.Failure failure = failureOf(call, t);
      finish(failure.status(), failure.trailers());
    } finally {
      ServerContext.detach(previous);
    }
  }

  /** Sends a response of a single-response method, then OK. */
  void sendLast(RespT response) {
    send(response);
  }

  @Override
  public void send(RespT message) {
    if (closed) {
      throw (call.isCancelled()
              ? Status.CANCELLED.withDescription("call was cancelled")
              : Status.FAILED_PRECONDITION.withDescription("call already finished"))
          .asException();
    }
    gate.awaitReady();
    sendHeadersOnce();
    call.sendMessage(message);
  }

  @Override
  public void setMessageCompression(boolean enabled) {
    call.setMessageCompression(enabled);
  }

  @Override
  public boolean isReady() {
    return !closed && call.isReady();
  }

  private void sendHeadersOnce() {
    if (!headersSent) {
      headersSent = true;
      call.sendHeaders(context.responseHeaders());
    }
  }

  void finish(Status status) {
    finish(status, null);
  }

  void finish(Status status, Metadata extraTrailers) {
    if (closed) {
      return;
    }
    closed = true;
    if (call.isCancelled()) {
      return;
    }
    Metadata trailers = context.responseTrailers();
    if (extraTrailers != null && extraTrailers != trailers) {
      trailers.merge(extraTrailers);
    }
    if (!headersSent && !context.responseHeaders().isEmpty()) {
      // Headers the handler set must not vanish because it sent no message.
      sendHeadersOnce();
    }
    call.close(status, trailers);
  }

  /** What a throwable from this call's handler code sends to the client. */
  static Failures.Failure failureOf(ServerCall<?, ?> call, Throwable t) {
    return Failures.of(t, call.info().exceptionMapper(), call.method().fullName());
  }

  // Events from the transport, on the event loop.

  @Override
  public void onReady() {
    gate.signal();
  }

  @Override
  public void onCancel() {
    closed = true;
    gate.fail(Status.CANCELLED.withDescription("call was cancelled"));
    context.markCancelled();
  }

  @Override
  public void onComplete() {
    gate.fail(Status.FAILED_PRECONDITION.withDescription("call already finished"));
  }

  ServerCall<ReqT, RespT> call() {
    return call;
  }
}
