package dev.strand.server;

import java.util.List;

/** Wraps handlers with interceptor chains. */
public final class ServerInterceptors {
  private ServerInterceptors() {}

  /** Wraps a method so that {@code interceptors[0]} runs first. */
  public static <ReqT, RespT> ServerMethod<ReqT, RespT> wrap(
      ServerMethod<ReqT, RespT> method, ServerInterceptor... interceptors) {
    return wrap(method, List.of(interceptors));
  }

  public static <ReqT, RespT> ServerMethod<ReqT, RespT> wrap(
      ServerMethod<ReqT, RespT> method, List<ServerInterceptor> interceptors) {
    ServerCallHandler<ReqT, RespT> handler = method.handler();
    for (int i = interceptors.size() - 1; i >= 0; i--) {
      ServerInterceptor interceptor = interceptors.get(i);
      ServerCallHandler<ReqT, RespT> next = handler;
      handler = (call, headers) -> interceptor.interceptCall(call, headers, next);
    }
    return method.withHandler(handler);
  }
}
