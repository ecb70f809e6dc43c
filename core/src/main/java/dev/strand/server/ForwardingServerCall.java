package dev.strand.server;

import dev.strand.Metadata;
import dev.strand.MethodDescriptor;
import dev.strand.Status;
import java.util.concurrent.Executor;

/**
 * A ServerCall that passes everything to another: override what an interceptor must see. A wrapper
 * made while its call starts sees in {@link #close} every way the call ends: the handler's status,
 * and also the ends the server decides itself (deadline, the client's cancel, a rejected request),
 * once each.
 */
public abstract class ForwardingServerCall<ReqT, RespT> implements ServerCall<ReqT, RespT> {
  private final ServerCall<ReqT, RespT> delegate;

  protected ForwardingServerCall(ServerCall<ReqT, RespT> delegate) {
    this.delegate = delegate;
    ServerCall<ReqT, RespT> root = delegate;
    while (root instanceof ForwardingServerCall<ReqT, RespT> wrapper) {
      root = wrapper.delegate;
    }
    if (root instanceof InterceptedServerCall<?, ?> intercepted) {
      @SuppressWarnings("unchecked") // The root of a chain of ServerCall<ReqT, RespT>.
      InterceptedServerCall<ReqT, RespT> same = (InterceptedServerCall<ReqT, RespT>) intercepted;
      same.wrappedBy(this);
    }
  }

  protected ServerCall<ReqT, RespT> delegate() {
    return delegate;
  }

  @Override
  public MethodDescriptor<ReqT, RespT> method() {
    return delegate.method();
  }

  @Override
  public void request(int n) {
    delegate.request(n);
  }

  @Override
  public void sendHeaders(Metadata headers) {
    delegate.sendHeaders(headers);
  }

  @Override
  public void sendMessage(RespT message) {
    delegate.sendMessage(message);
  }

  @Override
  public void close(Status status, Metadata trailers) {
    delegate.close(status, trailers);
  }

  @Override
  public boolean isReady() {
    return delegate.isReady();
  }

  @Override
  public boolean isCancelled() {
    return delegate.isCancelled();
  }

  @Override
  public void setCompression(String encoding) {
    delegate.setCompression(encoding);
  }

  @Override
  public void setMessageCompression(boolean enabled) {
    delegate.setMessageCompression(enabled);
  }

  @Override
  public Executor blockingExecutor() {
    return delegate.blockingExecutor();
  }

  @Override
  public CallInfo info() {
    return delegate.info();
  }
}
