package dev.strand.client;

import dev.strand.MethodDescriptor;
import java.util.List;

/** Puts interceptors in front of a channel. */
public final class ClientInterceptors {
  private ClientInterceptors() {}

  /** A channel whose calls pass through {@code interceptors[0]} first. */
  public static Channel intercept(Channel channel, List<ClientInterceptor> interceptors) {
    Channel result = channel;
    for (int i = interceptors.size() - 1; i >= 0; i--) {
      result = new InterceptedChannel(result, interceptors.get(i));
    }
    return result;
  }

  public static Channel intercept(Channel channel, ClientInterceptor... interceptors) {
    return intercept(channel, List.of(interceptors));
  }

  private record InterceptedChannel(Channel next, ClientInterceptor interceptor)
      implements Channel {
    @Override
    public <ReqT, RespT> ClientCall<ReqT, RespT> newCall(
        MethodDescriptor<ReqT, RespT> method, CallOptions options) {
      return interceptor.interceptCall(method, options, next);
    }

    @Override
    public String authority() {
      return next.authority();
    }
  }
}
