package dev.strand.client;

import dev.strand.Metadata;
import dev.strand.Status;

/** A listener that passes every event to another: override the events an interceptor watches. */
public abstract class ForwardingClientCallListener<RespT> extends ClientCall.Listener<RespT> {
  private final ClientCall.Listener<RespT> delegate;

  protected ForwardingClientCallListener(ClientCall.Listener<RespT> delegate) {
    this.delegate = delegate;
  }

  @Override
  public void onHeaders(Metadata headers) {
    delegate.onHeaders(headers);
  }

  @Override
  public void onMessage(RespT message) {
    delegate.onMessage(message);
  }

  @Override
  public void onClose(Status status, Metadata trailers) {
    delegate.onClose(status, trailers);
  }

  @Override
  public void onReady() {
    delegate.onReady();
  }
}
