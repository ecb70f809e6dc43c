package dev.strand.server;

import dev.strand.Metadata;

/**
 * Sees every call before its handler: it can read headers, reject the call by closing it with a
 * status, wrap the call to observe what is sent, or wrap the listener to observe what arrives.
 * Interceptors given to the server run in the order they were added; the first one added sees the
 * call first.
 */
@FunctionalInterface
public interface ServerInterceptor {
  <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next);
}
