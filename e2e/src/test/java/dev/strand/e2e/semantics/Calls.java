package dev.strand.e2e.semantics;

import dev.strand.Metadata;
import dev.strand.Status;
import dev.strand.StatusException;
import dev.strand.client.CallOptions;
import dev.strand.client.Channel;
import dev.strand.client.ClientCall;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Unary calls with request headers, on both implementations, bounded by a 10 s deadline: the stubs
 * send none, and several tests need to.
 */
final class Calls {
  private Calls() {}

  static byte[] strand(Channel channel, CallOptions options, Metadata headers, byte[] request) {
    return strand(channel, options, headers, request, new Metadata[2]);
  }

  /** Also keeps the response headers in {@code received[0]} and the trailers in [1]. */
  static byte[] strand(
      Channel channel, CallOptions options, Metadata headers, byte[] request, Metadata[] received) {
    ClientCall<byte[], byte[]> call =
        channel.newCall(
            Probe.UNARY,
            options.deadline() == null ? options.withTimeout(Duration.ofSeconds(10)) : options);
    CompletableFuture<byte[]> result = new CompletableFuture<>();
    call.start(
        new ClientCall.Listener<>() {
          private byte[] response;

          @Override
          public void onHeaders(Metadata responseHeaders) {
            received[0] = responseHeaders;
          }

          @Override
          public void onMessage(byte[] message) {
            response = message;
          }

          @Override
          public void onClose(Status status, Metadata trailers) {
            received[1] = trailers;
            if (status.isOk()) {
              result.complete(response);
            } else {
              result.completeExceptionally(status.asException(trailers));
            }
          }
        },
        headers);
    call.request(2);
    call.sendMessage(request);
    call.halfClose();
    try {
      return result.get(15, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw (StatusException) e.getCause();
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError("call did not end", e);
    }
  }

  static byte[] grpc(
      io.grpc.Channel channel,
      io.grpc.CallOptions options,
      io.grpc.Metadata headers,
      byte[] request) {
    io.grpc.Channel withHeaders =
        io.grpc.ClientInterceptors.intercept(
            channel, io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(headers));
    return io.grpc.stub.ClientCalls.blockingUnaryCall(
        withHeaders, Probe.G_UNARY, options.withDeadlineAfter(10, TimeUnit.SECONDS), request);
  }
}
