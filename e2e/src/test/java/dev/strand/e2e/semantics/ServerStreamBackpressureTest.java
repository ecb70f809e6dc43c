package dev.strand.e2e.semantics;

import static dev.strand.e2e.semantics.Backpressure.BIG;
import static dev.strand.e2e.semantics.Backpressure.READ_FIRST;
import static dev.strand.e2e.semantics.Backpressure.TOTAL;
import static dev.strand.e2e.semantics.Backpressure.WINDOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.strand.client.CallOptions;
import dev.strand.server.ServiceDefinition;
import dev.strand.stub.CallStreamObserver;
import dev.strand.stub.ClientCalls;
import dev.strand.stub.ServerCalls;
import dev.strand.stub.StreamSource;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCallStreamObserver;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Server to client: a fast writer waits for a slow reader. Strand writes with the blocking
 * StreamSink and with the async CallStreamObserver (isReady/onReady) to a grpc-java reader that
 * stops asking; Strand reads slowly (a StreamSource nobody iterates) from a grpc-java writer that
 * honours isReady/onReady, and from a Strand writer.
 */
@Timeout(60)
class ServerStreamBackpressureTest {
  private final Peers peers = new Peers();
  private final AtomicInteger sent = new AtomicInteger();

  @AfterEach
  void stop() throws Exception {
    peers.close();
  }

  private int strandWriter(boolean async) throws Exception {
    ServiceDefinition.Builder service = ServiceDefinition.builder(Probe.SERVICE);
    if (async) {
      service.method(
          Probe.SERVER_STREAM,
          ServerCalls.asyncServerStreaming(
              (byte[] req, CallStreamObserver<byte[]> out) -> {
                // Runs on the event loop, like the on-ready handler: no locking needed.
                Runnable pump =
                    () -> {
                      while (out.isReady() && sent.get() < TOTAL) {
                        out.onNext(BIG);
                        sent.incrementAndGet();
                      }
                      if (sent.get() == TOTAL) {
                        out.onCompleted();
                      }
                    };
                out.setOnReadyHandler(pump);
                pump.run();
              }));
    } else {
      service.method(
          Probe.SERVER_STREAM,
          ServerCalls.serverStreaming(
              (req, out) -> {
                for (int i = 0; i < TOTAL; i++) {
                  out.send(BIG);
                  sent.incrementAndGet();
                }
              }));
    }
    return peers.start(Peers.strandServer().service(service.build())).port();
  }

  /** A grpc-java reader asking for messages one request(n) at a time; fixed window, no BDP. */
  private void slowGrpcJavaReader(int port) throws Exception {
    var channel = peers.start(Peers.grpcChannel(port).flowControlWindow(WINDOW));
    BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
    CompletableFuture<io.grpc.Status> status = new CompletableFuture<>();
    var call =
        channel.newCall(
            Probe.G_SERVER_STREAM,
            io.grpc.CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS));
    call.start(
        new io.grpc.ClientCall.Listener<>() {
          @Override
          public void onMessage(byte[] message) {
            received.add(message);
          }

          @Override
          public void onClose(io.grpc.Status s, io.grpc.Metadata trailers) {
            status.complete(s);
          }
        },
        new io.grpc.Metadata());
    call.sendMessage(Probe.text("go"));
    call.halfClose();
    call.request(READ_FIRST);
    for (int i = 0; i < READ_FIRST; i++) {
      assertNotNull(received.poll(10, TimeUnit.SECONDS), "message " + i);
    }
    Backpressure.assertWriterWaits(sent::get, READ_FIRST);
    call.request(TOTAL);
    assertEquals(io.grpc.Status.Code.OK, status.get(20, TimeUnit.SECONDS).getCode());
    assertEquals(TOTAL, READ_FIRST + received.size());
  }

  /** A Strand reader that takes a few messages, pauses, then reads the rest. */
  private void slowStrandReader(int port) throws Exception {
    var channel = peers.strandChannelTo(port);
    try (StreamSource<byte[]> responses =
        ClientCalls.serverStream(
            channel,
            Probe.SERVER_STREAM,
            CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(30)),
            Probe.text("go"))) {
      for (int i = 0; i < READ_FIRST; i++) {
        assertNotNull(responses.next(), "message " + i);
      }
      Backpressure.assertWriterWaits(sent::get, READ_FIRST);
      int rest = 0;
      while (responses.next() != null) {
        rest++;
      }
      assertEquals(TOTAL, READ_FIRST + rest);
    }
  }

  @Test
  void strandBlockingSinkWaitsForASlowGrpcJavaReader() throws Exception {
    slowGrpcJavaReader(strandWriter(false));
  }

  @Test
  void strandAsyncObserverWaitsForASlowGrpcJavaReader() throws Exception {
    slowGrpcJavaReader(strandWriter(true));
  }

  @Test
  void strandBlockingSinkWaitsForASlowStrandReader() throws Exception {
    slowStrandReader(strandWriter(false));
  }

  @Test
  void strandAsyncObserverWaitsForASlowStrandReader() throws Exception {
    slowStrandReader(strandWriter(true));
  }

  @Test
  void grpcJavaWriterWaitsForASlowStrandReader() throws Exception {
    ServerServiceDefinition service =
        ServerServiceDefinition.builder(Probe.SERVICE)
            .addMethod(
                Probe.G_SERVER_STREAM,
                io.grpc.stub.ServerCalls.asyncServerStreamingCall(
                    (req, responses) -> {
                      ServerCallStreamObserver<byte[]> out =
                          (ServerCallStreamObserver<byte[]>) responses;
                      Runnable pump =
                          new Runnable() {
                            private boolean done;

                            @Override
                            public synchronized void run() {
                              while (out.isReady() && sent.get() < TOTAL) {
                                out.onNext(BIG);
                                sent.incrementAndGet();
                              }
                              if (sent.get() == TOTAL && !done) {
                                done = true;
                                out.onCompleted();
                              }
                            }
                          };
                      out.setOnReadyHandler(pump);
                      pump.run();
                    }))
            .build();
    slowStrandReader(
        peers.start(Peers.grpcServer().flowControlWindow(WINDOW).addService(service)).getPort());
  }
}
