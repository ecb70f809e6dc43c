package dev.strand.e2e.docs;

import dev.strand.Metadata;
import dev.strand.MethodDescriptor;
import dev.strand.Status;
import dev.strand.client.CallOptions;
import dev.strand.client.Channel;
import dev.strand.client.ClientCall;
import dev.strand.client.ClientInterceptor;
import dev.strand.client.ClientInterceptors;
import dev.strand.client.ForwardingClientCall;
import dev.strand.client.ForwardingClientCallListener;
import dev.strand.client.ManagedChannel;
import dev.strand.interceptor.BearerTokenAuth;
import dev.strand.interceptor.CallLogging;
import dev.strand.server.ForwardingServerCall;
import dev.strand.server.Server;
import dev.strand.server.ServerCall;
import dev.strand.server.ServerCallHandler;
import dev.strand.server.ServerInterceptor;
import dev.strand.server.ServiceDefinition;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** The code of docs/INTERCEPTORS.md; see {@link DeadlineSnippets} for how it is kept honest. */
final class InterceptorSnippets {

  // snippet:start interceptor-server
  /** Lets in only calls from known tenants, and tells each response which tenant it served. */
  static final class TenantCheck implements ServerInterceptor {
    private final Set<String> tenants;

    TenantCheck(Set<String> tenants) {
      this.tenants = tenants;
    }

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
        ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
      String tenant = headers.get("x-tenant");
      if (tenant == null || !tenants.contains(tenant)) {
        // Rejected before the handler runs: close the call and hand back an empty listener.
        call.close(Status.PERMISSION_DENIED.withDescription("unknown tenant"), new Metadata());
        return new ServerCall.Listener<>() {};
      }
      return next.startCall(
          new ForwardingServerCall<>(call) {
            @Override
            public void sendHeaders(Metadata responseHeaders) {
              responseHeaders.add("x-tenant", tenant);
              super.sendHeaders(responseHeaders);
            }
          },
          headers);
    }
  }

  // snippet:end interceptor-server

  // snippet:start interceptor-server-status
  /** Counts calls by method and final status: close() is where a call's outcome passes. */
  static final class StatusCounter implements ServerInterceptor {
    final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
        ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
      return next.startCall(
          new ForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
              String key = call.method().fullName() + " " + status.code();
              counts.computeIfAbsent(key, k -> new LongAdder()).increment();
              super.close(status, trailers);
            }
          },
          headers);
    }
  }

  // snippet:end interceptor-server-status

  static Server server(ServiceDefinition greeter, StatusCounter counter) throws IOException {
    // snippet:start interceptor-server-order
    Server server =
        Server.builder()
            .address("127.0.0.1", 0)
            .interceptor(counter) // 1st: sees every call, even rejected ones
            .interceptor(new TenantCheck(Set.of("acme"))) // 2nd
            .service(
                greeter.intercept(
                    CallLogging.server())) // 3rd: this service's own, then the handler
            .start();
    // snippet:end interceptor-server-order
    return server;
  }

  // snippet:start interceptor-client
  /** Sends the tenant with every call and keeps the last status the server returned. */
  static final class TenantHeader implements ClientInterceptor {
    private final String tenant;
    volatile Status lastStatus;

    TenantHeader(String tenant) {
      this.tenant = tenant;
    }

    @Override
    public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
        MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next) {
      return new ForwardingClientCall<>(next.newCall(method, options)) {
        @Override
        public void start(Listener<RespT> listener, Metadata headers) {
          headers.put("x-tenant", tenant);
          super.start(
              new ForwardingClientCallListener<>(listener) {
                @Override
                public void onClose(Status status, Metadata trailers) {
                  lastStatus = status;
                  super.onClose(status, trailers);
                }
              },
              headers);
        }
      };
    }
  }

  // snippet:end interceptor-client

  record Clients(ManagedChannel channel, Channel audited) {}

  static Clients client(int port, TenantHeader tenant) {
    // snippet:start interceptor-client-order
    ManagedChannel channel =
        Channel.to("127.0.0.1", port)
            .plaintext()
            .interceptor(CallLogging.client()) // sees each call first, its outcome last
            .interceptor(tenant)
            .build();
    // For some calls only: this one runs before the channel's own.
    Channel audited = ClientInterceptors.intercept(channel, new TenantHeader("acme-audit"));
    // snippet:end interceptor-client-order
    return new Clients(channel, audited);
  }

  static Server bearerServer(ServiceDefinition greeter) throws IOException {
    // snippet:start interceptor-bearer-server
    Server server =
        Server.builder()
            .address("127.0.0.1", 0)
            .interceptor(
                BearerTokenAuth.server(
                    (token, method) -> token.equals(System.getProperty("greeter.token", "s3cret"))))
            .service(greeter)
            .start();
    // snippet:end interceptor-bearer-server
    return server;
  }

  static ManagedChannel bearerClient(int port) {
    // snippet:start interceptor-bearer-client
    ManagedChannel channel =
        Channel.to("127.0.0.1", port)
            .plaintext()
            .interceptor(
                BearerTokenAuth.client(() -> System.getProperty("greeter.token", "s3cret")))
            .build();
    // snippet:end interceptor-bearer-client
    return channel;
  }
}
