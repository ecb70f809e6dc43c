package dev.strand.server;

/**
 * For transports: a server call that ends through the outermost wrapper interceptors put around it.
 * When the server itself ends a call (its deadline, the client's cancel, a request it rejects), it
 * calls {@code close} on that wrapper, so every interceptor's {@code close} sees the outcome
 * exactly as it sees the handler's own. {@link ForwardingServerCall} reports itself as it is made;
 * interceptors make their wrappers while the chain starts, outermost last.
 */
public interface InterceptedServerCall<ReqT, RespT> {
  /** {@code wrapper} now wraps this call, directly or around other wrappers. */
  void wrappedBy(ServerCall<ReqT, RespT> wrapper);
}
