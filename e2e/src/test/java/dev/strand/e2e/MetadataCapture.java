package dev.strand.e2e;

import dev.strand.Metadata;
import dev.strand.MethodDescriptor;
import dev.strand.Status;
import dev.strand.client.CallOptions;
import dev.strand.client.Channel;
import dev.strand.client.ClientCall;
import dev.strand.client.ClientInterceptor;
import dev.strand.client.ForwardingClientCall;
import dev.strand.client.ForwardingClientCallListener;
import java.util.concurrent.CompletableFuture;

/**
 * A Strand client interceptor that adds request headers to every call and keeps the response
 * headers and trailers of the last call it saw, as a user's interceptor would.
 */
final class MetadataCapture implements ClientInterceptor {
  private final Metadata extraHeaders;
  final CompletableFuture<Metadata> headers = new CompletableFuture<>();
  final CompletableFuture<Metadata> trailers = new CompletableFuture<>();
  final CompletableFuture<Status> status = new CompletableFuture<>();

  MetadataCapture(Metadata extraHeaders) {
    this.extraHeaders = extraHeaders;
  }

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next) {
    return new ForwardingClientCall<>(next.newCall(method, options)) {
      @Override
      public void start(Listener<RespT> listener, Metadata requestHeaders) {
        requestHeaders.merge(extraHeaders);
        super.start(
            new ForwardingClientCallListener<>(listener) {
              @Override
              public void onHeaders(Metadata h) {
                headers.complete(h);
                super.onHeaders(h);
              }

              @Override
              public void onClose(Status s, Metadata t) {
                trailers.complete(t);
                status.complete(s);
                super.onClose(s, t);
              }
            },
            requestHeaders);
      }
    };
  }
}
