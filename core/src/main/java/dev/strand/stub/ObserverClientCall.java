package dev.strand.stub;

import dev.strand.Metadata;
import dev.strand.Status;
import dev.strand.StatusException;
import dev.strand.client.ClientCall;

/** An async client call: requests through a CallStreamObserver, responses to an observer. */
final class ObserverClientCall<ReqT, RespT> extends ClientCall.Listener<RespT>
    implements CallStreamObserver<ReqT> {
  private final ClientCall<ReqT, RespT> call;
  private final StreamObserver<RespT> responses;
  private volatile Runnable onReady;
  private volatile Runnable onCancel;
  private volatile boolean cancelled;

  ObserverClientCall(ClientCall<ReqT, RespT> call, StreamObserver<RespT> responses) {
    this.call = call;
    this.responses = responses;
  }

  void start() {
    call.start(this, new Metadata());
    call.request(1);
  }

  @Override
  public void onMessage(RespT message) {
    responses.onNext(message);
    call.request(1);
  }

  @Override
  public void onClose(Status status, Metadata trailers) {
    if (status.isOk()) {
      responses.onCompleted();
    } else {
      if (status.code() == Status.Code.CANCELLED) {
        cancelled = true;
        Runnable r = onCancel;
        if (r != null) {
          r.run();
        }
      }
      responses.onError(new StatusException(status, trailers));
    }
  }

  @Override
  public void onReady() {
    Runnable r = onReady;
    if (r != null) {
      r.run();
    }
  }

  @Override
  public void onNext(ReqT value) {
    call.sendMessage(value);
  }

  @Override
  public void onError(Throwable error) {
    call.cancel("client cancelled the call", error);
  }

  @Override
  public void onCompleted() {
    call.halfClose();
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
    onReady = handler;
  }

  @Override
  public boolean isCancelled() {
    return cancelled;
  }

  @Override
  public void setOnCancelHandler(Runnable handler) {
    onCancel = handler;
  }
}
