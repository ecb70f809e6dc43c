package dev.strand.e2e.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strand.ConnectivityState;
import dev.strand.Metadata;
import dev.strand.Status;
import dev.strand.client.CallOptions;
import dev.strand.client.ClientCall;
import dev.strand.client.ManagedChannel;
import dev.strand.e2e.TestCerts;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A call started on a channel that is still connecting queues its commands (headers, messages,
 * half-close) until the connection is ready. Commands issued while the queue is being handed to the
 * connection must still go out after it, in order: otherwise a message goes out before the stream
 * exists and is silently dropped, or the half-close is, and the call hangs until its deadline
 * "waiting for the server" (seen as a rare 10 s hang of a first call).
 */
@Timeout(60)
class FirstCallOrderingTest {
  private static final int MESSAGES = 2000;
  private static final int MAX_BEFORE_READY = 200_000;
  private static final int CHANNELS = 5;

  private final Peers peers = new Peers();

  @AfterEach
  void stop() throws Exception {
    peers.close();
  }

  /** Counts the requests and checks that each carries the next index: "count/inOrder". */
  private static ServerServiceDefinition counter() {
    return ServerServiceDefinition.builder(Probe.SERVICE)
        .addMethod(
            Probe.G_CLIENT_STREAM,
            io.grpc.stub.ServerCalls.asyncClientStreamingCall(
                responses ->
                    new StreamObserver<byte[]>() {
                      private int count;
                      private boolean inOrder = true;

                      @Override
                      public void onNext(byte[] value) {
                        inOrder &= ByteBuffer.wrap(value).getInt() == count;
                        count++;
                      }

                      @Override
                      public void onError(Throwable t) {}

                      @Override
                      public void onCompleted() {
                        responses.onNext(Probe.text(count + "/" + inOrder));
                        responses.onCompleted();
                      }
                    }))
        .build();
  }

  @Test
  void everyMessageOfACallStartedWhileConnectingArrivesInOrder() throws Exception {
    // Over TLS the connection takes a handshake to be ready: long enough for thousands of
    // commands to queue up, so that handing them over overlaps with the caller's next ones.
    int port =
        peers
            .start(
                Peers.grpcServer()
                    .useTransportSecurity(
                        TestCerts.SERVER_CERT.toFile(), TestCerts.SERVER_KEY.toFile())
                    .addService(counter()))
            .getPort();
    for (int i = 0; i < CHANNELS; i++) {
      // A fresh channel each time: the call starts before the connection exists.
      ManagedChannel channel =
          peers.start(
              dev.strand.client.Channel.to(Peers.HOST, port)
                  .trustCa(TestCerts.CA)
                  .overrideAuthority(TestCerts.AUTHORITY));
      ClientCall<byte[], byte[]> call =
          channel.newCall(
              Probe.CLIENT_STREAM, CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(5)));
      CompletableFuture<String> result = new CompletableFuture<>();
      call.start(
          new ClientCall.Listener<>() {
            @Override
            public void onMessage(byte[] message) {
              result.complete(Probe.text(message));
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
              result.complete(status.toString());
            }
          },
          new Metadata());
      call.request(1);
      // Keep sending while the connection comes up, and a while after, so that the hand-over
      // of the queued commands happens in the middle of the stream of new ones.
      int sent = 0;
      while (channel.state(false) != ConnectivityState.READY && sent < MAX_BEFORE_READY) {
        call.sendMessage(ByteBuffer.allocate(4).putInt(sent++).array());
      }
      for (int m = 0; m < MESSAGES; m++) {
        call.sendMessage(ByteBuffer.allocate(4).putInt(sent++).array());
      }
      call.halfClose();
      assertEquals(sent + "/true", result.get(10, TimeUnit.SECONDS), "channel " + i);
    }
  }
}
