package dev.strand.bench;

import dev.strand.Metadata;
import dev.strand.Status;
import dev.strand.client.CallOptions;
import dev.strand.client.Channel;
import dev.strand.client.ClientCall;
import dev.strand.client.ManagedChannel;
import io.grpc.benchmarks.proto.BenchmarkService;
import io.grpc.benchmarks.proto.Messages.SimpleRequest;
import io.grpc.benchmarks.proto.Messages.SimpleResponse;
import java.util.function.BiConsumer;

/**
 * Strand's client: unary calls through the generated async client (futures completed on the event
 * loop), streams through the call API with one request(1) per message, as stubs do.
 */
final class StrandDriver implements Driver {
  private final ManagedChannel[] channels;
  private final BenchmarkService.AsyncClient[] clients;

  StrandDriver(String host, int port, int connections, String channelTarget, String policy) {
    channels = new ManagedChannel[connections];
    clients = new BenchmarkService.AsyncClient[connections];
    for (int i = 0; i < connections; i++) {
      // One channel per connection: N channels give N connections. With a channel target, a
      // channel's policy decides its connections (round_robin: one per address).
      channels[i] =
          channelTarget == null
              ? Channel.to(host, port).plaintext().build()
              : Channel.to(channelTarget).loadBalancingPolicy(policy).plaintext().build();
      clients[i] = BenchmarkService.client(channels[i]).async();
    }
  }

  @Override
  public int connections() {
    return channels.length;
  }

  @Override
  public void unary(int conn, SimpleRequest request, BiConsumer<SimpleResponse, Throwable> done) {
    clients[conn].unaryCall(request).whenComplete(done);
  }

  @Override
  public Stream streamingCall(int conn, StreamListener listener) {
    return start(
        channels[conn].newCall(BenchmarkService.Methods.STREAMING_CALL, CallOptions.DEFAULT),
        listener);
  }

  @Override
  public Stream streamingFromServer(int conn, SimpleRequest request, StreamListener listener) {
    Stream s =
        start(
            channels[conn].newCall(
                BenchmarkService.Methods.STREAMING_FROM_SERVER, CallOptions.DEFAULT),
            listener);
    s.send(request);
    s.halfClose();
    return s;
  }

  private static Stream start(ClientCall<SimpleRequest, SimpleResponse> call, StreamListener l) {
    Stream s =
        new Stream() {
          @Override
          public void send(SimpleRequest request) {
            call.sendMessage(request);
          }

          @Override
          public void request(int n) {
            call.request(n);
          }

          @Override
          public void halfClose() {
            call.halfClose();
          }

          @Override
          public void cancel() {
            call.cancel("benchmark over", null);
          }
        };
    // The listener has its stream before the first message can arrive on another thread.
    l.onStart(s);
    call.start(
        new ClientCall.Listener<>() {
          @Override
          public void onMessage(SimpleResponse message) {
            l.onMessage(message);
          }

          @Override
          public void onClose(Status status, Metadata trailers) {
            l.onClose(
                status.isOk() ? null : status.asException(),
                status.code() == Status.Code.CANCELLED);
          }
        },
        new Metadata());
    call.request(1);
    return s;
  }

  @Override
  public void close() {
    for (ManagedChannel c : channels) {
      c.shutdownNow();
    }
    for (ManagedChannel c : channels) {
      try {
        c.awaitTermination(java.time.Duration.ofSeconds(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
