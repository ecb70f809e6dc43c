package dev.strand.client;

import dev.strand.Metadata;

/** A ClientCall that passes everything to another: override what an interceptor must see. */
public abstract class ForwardingClientCall<ReqT, RespT> implements ClientCall<ReqT, RespT> {
  private final ClientCall<ReqT, RespT> delegate;

  protected ForwardingClientCall(ClientCall<ReqT, RespT> delegate) {
    this.delegate = delegate;
  }

  protected ClientCall<ReqT, RespT> delegate() {
    return delegate;
  }

  @Override
  public void start(Listener<RespT> listener, Metadata headers) {
    delegate.start(listener, headers);
  }

  @Override
  public void request(int n) {
    delegate.request(n);
  }

  @Override
  public void sendMessage(ReqT message) {
    delegate.sendMessage(message);
  }

  @Override
  public void halfClose() {
    delegate.halfClose();
  }

  @Override
  public void cancel(String message, Throwable cause) {
    delegate.cancel(message, cause);
  }

  @Override
  public void setMessageCompression(boolean enabled) {
    delegate.setMessageCompression(enabled);
  }

  @Override
  public boolean isReady() {
    return delegate.isReady();
  }
}
