package dev.strand.client;

import dev.strand.MethodDescriptor;

/**
 * Wraps the creation of client calls: it can add headers, observe responses and the final status,
 * or fail a call before it is sent. Interceptors run in the order given to the channel builder; the
 * first one added sees the call first.
 */
@FunctionalInterface
public interface ClientInterceptor {
  <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next);
}
