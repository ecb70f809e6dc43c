package dev.strand.server;

/** A listener that passes every event to another: override the events an interceptor watches. */
public abstract class ForwardingServerCallListener<ReqT> extends ServerCall.Listener<ReqT> {
  private final ServerCall.Listener<ReqT> delegate;

  protected ForwardingServerCallListener(ServerCall.Listener<ReqT> delegate) {
    this.delegate = delegate;
  }

  @Override
  public void onMessage(ReqT message) {
    delegate.onMessage(message);
  }

  @Override
  public void onHalfClose() {
    delegate.onHalfClose();
  }

  @Override
  public void onCancel() {
    delegate.onCancel();
  }

  @Override
  public void onComplete() {
    delegate.onComplete();
  }

  @Override
  public void onReady() {
    delegate.onReady();
  }
}
