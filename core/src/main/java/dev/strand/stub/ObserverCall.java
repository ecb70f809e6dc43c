package dev.strand.stub;

import dev.strand.Metadata;
import dev.strand.Status;
import dev.strand.internal.call.Failures;
import dev.strand.server.ServerCall;

/** The response side of an async handler: a CallStreamObserver over a ServerCall. */
final class ObserverCall<ReqT, RespT> implements CallStreamObserver<RespT>, CallEvents {
  private final ServerCall<ReqT, RespT> call;
  private volatile Runnable onReady;
  private volatile Runnable onCancel;
  private volatile boolean cancelled;
  private boolean headersSent;
  private boolean done;

  ObserverCall(ServerCall<ReqT, RespT> call) {
    this.call = call;
  }

  @Override
  public synchronized void onNext(RespT value) {
    if (done) {
      throw Status.FAILED_PRECONDITION.withDescription("stream already completed").asException();
    }
    if (cancelled) {
      throw Status.CANCELLED.withDescription("call was cancelled").asException();
    }
    if (!headersSent) {
      headersSent = true;
      call.sendHeaders(new Metadata());
    }
    call.sendMessage(value);
  }

  @Override
  public synchronized void onError(Throwable error) {
    if (done) {
      return;
    }
    done = true;
    if (call.isCancelled()) {
      return; // The call already ended, and its interceptors saw how.
    }
    Failures.Failure failure = BlockingServerCall.failureOf(call, error);
    call.close(failure.status(), failure.trailers());
  }

  @Override
  public synchronized void onCompleted() {
    if (done) {
      return;
    }
    done = true;
    if (call.isCancelled()) {
      return;
    }
    call.close(Status.OK, new Metadata());
  }

  @Override
  public void setMessageCompression(boolean enabled) {
    call.setMessageCompression(enabled);
  }

  @Override
  public boolean isReady() {
    return call.isReady();
  }

  @Override
  public void setOnReadyHandler(Runnable handler) {
    this.onReady = handler;
  }

  @Override
  public boolean isCancelled() {
    return cancelled;
  }

  @Override
  public void setOnCancelHandler(Runnable handler) {
    this.onCancel = handler;
  }

  @Override
  public void onReady() {
    Runnable r = onReady;
    if (r != null) {
      r.run();
    }
  }

  @Override
  public void onCancel() {
    cancelled = true;
    Runnable r = onCancel;
    if (r != null) {
      r.run();
    }
  }

  @Override
  public void onComplete() {}
}
