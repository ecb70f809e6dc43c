package dev.strand.web.client;

import dev.strand.Metadata;
import dev.strand.MethodDescriptor;
import dev.strand.Status;
import dev.strand.client.CallOptions;
import dev.strand.client.Channel;
import dev.strand.client.ClientCall;
import dev.strand.client.ClientInterceptor;
import dev.strand.client.ForwardingClientCall;
import dev.strand.client.ForwardingClientCallListener;

/** Adds request metadata to every call and keeps the last call's response headers and trailers. */
final class CapturingInterceptor implements ClientInterceptor {
  final Metadata toSend = new Metadata();
  volatile Metadata headers;
  volatile Metadata trailers;
  volatile Status status;

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next) {
    return new ForwardingClientCall<>(next.newCall(method, options)) {
      @Override
      public void start(Listener<RespT> listener, Metadata requestHeaders) {
        requestHeaders.merge(toSend);
        super.start(
            new ForwardingClientCallListener<>(listener) {
              @Override
              public void onHeaders(Metadata received) {
                headers = received;
                super.onHeaders(received);
              }

              @Override
              public void onClose(Status closing, Metadata received) {
                status = closing;
                trailers = received;
                super.onClose(closing, received);
              }
            },
            requestHeaders);
      }
    };
  }
}
