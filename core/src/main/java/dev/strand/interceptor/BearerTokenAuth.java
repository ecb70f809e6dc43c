package dev.strand.interceptor;

import dev.strand.Metadata;
import dev.strand.MethodDescriptor;
import dev.strand.Status;
import dev.strand.client.CallOptions;
import dev.strand.client.Channel;
import dev.strand.client.ClientCall;
import dev.strand.client.ClientInterceptor;
import dev.strand.client.ForwardingClientCall;
import dev.strand.server.ServerCall;
import dev.strand.server.ServerCallHandler;
import dev.strand.server.ServerInterceptor;
import java.util.function.Supplier;

/**
 * Bearer-token authentication in the {@code authorization} header (RFC 6750). The server side
 * rejects a call without a valid token with UNAUTHENTICATED before its handler runs; the client
 * side attaches a token to every call.
 */
public final class BearerTokenAuth {
  static final String AUTHORIZATION = "authorization";
  private static final String PREFIX = "Bearer ";

  private BearerTokenAuth() {}

  /** Decides whether a token may call a method. */
  @FunctionalInterface
  public interface Verifier {
    boolean allows(String token, MethodDescriptor<?, ?> method);
  }

  /** A server interceptor that lets through only calls whose token the verifier allows. */
  public static ServerInterceptor server(Verifier verifier) {
    return new ServerInterceptor() {
      @Override
      public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
          ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
        String header = headers.get(AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
          return reject(call, "missing bearer token");
        }
        String token = header.substring(PREFIX.length()).trim();
        if (token.isEmpty() || !verifier.allows(token, call.method())) {
          return reject(call, "invalid bearer token");
        }
        return next.startCall(call, headers);
      }
    };
  }

  /** A client interceptor that sends {@code authorization: Bearer <token>} on every call. */
  public static ClientInterceptor client(Supplier<String> token) {
    return new ClientInterceptor() {
      @Override
      public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
          MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next) {
        return new ForwardingClientCall<>(next.newCall(method, options)) {
          @Override
          public void start(Listener<RespT> listener, Metadata headers) {
            headers.put(AUTHORIZATION, PREFIX + token.get());
            super.start(listener, headers);
          }
        };
      }
    };
  }

  private static <ReqT> ServerCall.Listener<ReqT> reject(ServerCall<ReqT, ?> call, String why) {
    call.close(Status.UNAUTHENTICATED.withDescription(why), new Metadata());
    return new ServerCall.Listener<>() {};
  }
}
