package dev.strand.e2e;

import dev.strand.Metadata;
import dev.strand.MethodDescriptor;
import dev.strand.Status;
import dev.strand.client.CallOptions;
import dev.strand.client.Channel;
import dev.strand.client.ClientCall;
import dev.strand.client.ClientInterceptor;
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
  public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(MethodDescriptor<ReqT, RespT> method,
      CallOptions options, Channel next) {
    ClientCall<ReqT, RespT> call = next.newCall(method, options);
    return new ClientCall<>() {
      @Override
      public void start(Listener<RespT> listener, Metadata requestHeaders) {
        requestHeaders.merge(extraHeaders);
        call.start(new Listener<>() {
          @Override
          public void onHeaders(Metadata h) {
            headers.complete(h);
            listener.onHeaders(h);
          }

          @Override
          public void onMessage(RespT message) {
            listener.onMessage(message);
          }

          @Override
          public void onClose(Status s, Metadata t) {
            trailers.complete(t);
            status.complete(s);
            listener.onClose(s, t);
          }

          @Override
          public void onReady() {
            listener.onReady();
          }
        }, requestHeaders);
      }

      @Override
      public void request(int n) {
        call.request(n);
      }

      @Override
      public void sendMessage(ReqT message) {
        call.sendMessage(message);
      }

      @Override
      public void halfClose() {
        call.halfClose();
      }

      @Override
      public void cancel(String message, Throwable cause) {
        call.cancel(message, cause);
      }

      @Override
      public boolean isReady() {
        return call.isReady();
      }
    };
  }
}
