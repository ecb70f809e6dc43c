package dev.strand.e2e.semantics;

import static dev.strand.e2e.semantics.Backpressure.BIG;
import static dev.strand.e2e.semantics.Backpressure.READ_FIRST;
import static dev.strand.e2e.semantics.Backpressure.TOTAL;
import static dev.strand.e2e.semantics.Backpressure.WINDOW;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strand.client.CallOptions;
import dev.strand.server.ServiceDefinition;
import dev.strand.stub.CallStreamObserver;
import dev.strand.stub.ClientCalls;
import dev.strand.stub.ClientStreamCall;
import dev.strand.stub.ServerCalls;
import dev.strand.stub.StreamObserver;
import dev.strand.stub.StreamSource;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Client to server: a fast writer waits for a slow reader. Strand writes with the blocking
 * ClientStreamCall.send and with the async CallStreamObserver (isReady/onReady) to a grpc-java
 * server that stops asking for requests; a Strand server reads slowly (a StreamSource its handler
 * stops iterating) from a grpc-java writer that honours isReady/onReady, and from a Strand writer.
 */
@Timeout(60)
class ClientStreamBackpressureTest {
  private final Peers peers = new Peers();
  private final AtomicInteger sent = new AtomicInteger();
  private final AtomicInteger read = new AtomicInteger();
  private final CountDownLatch resume = new CountDownLatch(1);
  private final CompletableFuture<Void> readFirst = new CompletableFuture<>();

  @AfterEach
  void stop() throws Exception {
    resume.countDown();
    peers.close();
  }

  /** Counts requests; after {@link Backpressure#READ_FIRST} it waits for {@link #resume}. */
  private void onRequest() throws InterruptedException {
    if (read.incrementAndGet() == READ_FIRST) {
      readFirst.complete(null);
      resume.await(30, TimeUnit.SECONDS);
    }
  }

  /** A grpc-java server that reads only when asked, with a fixed window (no BDP). */
  private int slowGrpcJavaReader() {
    ServerServiceDefinition service =
        ServerServiceDefinition.builder(Probe.SERVICE)
            .addMethod(
                Probe.G_CLIENT_STREAM,
                new io.grpc.ServerCallHandler<byte[], byte[]>() {
                  @Override
                  public io.grpc.ServerCall.Listener<byte[]> startCall(
                      io.grpc.ServerCall<byte[], byte[]> call, io.grpc.Metadata headers) {
                    call.request(READ_FIRST);
                    return new io.grpc.ServerCall.Listener<>() {
                      @Override
                      public void onMessage(byte[] message) {
                        if (read.incrementAndGet() == READ_FIRST) {
                          readFirst.complete(null);
                          // Ask for the rest only when the test says so, from another thread.
                          CompletableFuture.runAsync(
                              () -> {
                                try {
                                  resume.await(30, TimeUnit.SECONDS);
                                } catch (InterruptedException e) {
                                  Thread.currentThread().interrupt();
                                }
                                call.request(Integer.MAX_VALUE);
                              });
                        }
                      }

                      @Override
                      public void onHalfClose() {
                        call.sendHeaders(new io.grpc.Metadata());
                        call.sendMessage(Probe.ask(read.get()));
                        call.close(io.grpc.Status.OK, new io.grpc.Metadata());
                      }
                    };
                  }
                })
            .build();
    return peers.start(Peers.grpcServer().flowControlWindow(WINDOW).addService(service)).getPort();
  }

  private int slowStrandReader() throws Exception {
    ServiceDefinition service =
        ServiceDefinition.builder(Probe.SERVICE)
            .method(
                Probe.CLIENT_STREAM,
                ServerCalls.clientStreaming(
                    (StreamSource<byte[]> in) -> {
                      while (in.next() != null) {
                        onRequest();
                      }
                      return Probe.ask(read.get());
                    }))
            .build();
    return peers.start(Peers.strandServer().service(service)).port();
  }

  /** Writes with the blocking stub on another thread; waits for the stall, resumes, checks. */
  private void strandBlockingWriter(int port) throws Exception {
    var channel = peers.strandChannelTo(port);
    ClientStreamCall<byte[], byte[]> call =
        ClientCalls.clientStream(
            channel, Probe.CLIENT_STREAM, CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(30)));
    CompletableFuture<byte[]> result =
        CompletableFuture.supplyAsync(
            () -> {
              for (int i = 0; i < TOTAL; i++) {
                call.send(BIG);
                sent.incrementAndGet();
              }
              return call.finish();
            });
    stallThenFinish(result);
  }

  /** Writes with the async stub: only while isReady, resuming in the on-ready handler. */
  private void strandAsyncWriter(int port) throws Exception {
    var channel = peers.strandChannelTo(port);
    CompletableFuture<byte[]> result = new CompletableFuture<>();
    CallStreamObserver<byte[]> requests =
        ClientCalls.asyncStream(
            channel,
            Probe.CLIENT_STREAM,
            CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(30)),
            new StreamObserver<>() {
              @Override
              public void onNext(byte[] value) {
                result.complete(value);
              }

              @Override
              public void onError(Throwable error) {
                result.completeExceptionally(error);
              }

              @Override
              public void onCompleted() {}
            });
    Runnable pump =
        new Runnable() {
          private boolean done;

          @Override
          public synchronized void run() {
            while (requests.isReady() && sent.get() < TOTAL) {
              requests.onNext(BIG);
              sent.incrementAndGet();
            }
            if (sent.get() == TOTAL && !done) {
              done = true;
              requests.onCompleted();
            }
          }
        };
    requests.setOnReadyHandler(pump);
    pump.run();
    stallThenFinish(result);
  }

  private void stallThenFinish(CompletableFuture<byte[]> result) throws Exception {
    readFirst.get(10, TimeUnit.SECONDS);
    Backpressure.assertWriterWaits(sent::get, READ_FIRST);
    resume.countDown();
    assertEquals(TOTAL, Probe.asked(result.get(30, TimeUnit.SECONDS)));
  }

  @Test
  void strandBlockingSendWaitsForASlowGrpcJavaServer() throws Exception {
    strandBlockingWriter(slowGrpcJavaReader());
  }

  @Test
  void strandAsyncObserverWaitsForASlowGrpcJavaServer() throws Exception {
    strandAsyncWriter(slowGrpcJavaReader());
  }

  @Test
  void strandBlockingSendWaitsForASlowStrandServer() throws Exception {
    strandBlockingWriter(slowStrandReader());
  }

  @Test
  void strandAsyncObserverWaitsForASlowStrandServer() throws Exception {
    strandAsyncWriter(slowStrandReader());
  }

  @Test
  void grpcJavaWriterWaitsForASlowStrandServer() throws Exception {
    var channel = peers.start(Peers.grpcChannel(slowStrandReader()).flowControlWindow(WINDOW));
    CompletableFuture<byte[]> result = new CompletableFuture<>();
    io.grpc.stub.ClientCalls.asyncClientStreamingCall(
        channel.newCall(
            Probe.G_CLIENT_STREAM,
            io.grpc.CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS)),
        new ClientResponseObserver<byte[], byte[]>() {
          @Override
          public void beforeStart(ClientCallStreamObserver<byte[]> requests) {
            requests.setOnReadyHandler(
                new Runnable() {
                  private boolean done;

                  @Override
                  public void run() {
                    while (requests.isReady() && sent.get() < TOTAL) {
                      requests.onNext(BIG);
                      sent.incrementAndGet();
                    }
                    if (sent.get() == TOTAL && !done) {
                      done = true;
                      requests.onCompleted();
                    }
                  }
                });
          }

          @Override
          public void onNext(byte[] value) {
            result.complete(value);
          }

          @Override
          public void onError(Throwable t) {
            result.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {}
        });
    stallThenFinish(result);
  }
}
