package dev.strand.e2e.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strand.client.CallOptions;
import dev.strand.client.ManagedChannel;
import dev.strand.server.ServiceDefinition;
import dev.strand.stub.ClientCalls;
import dev.strand.stub.ServerCalls;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The first call on a brand-new connection, many times over: the call starts while the connection
 * is still being set up, and its response is written by a handler on the event loop in the middle
 * of the server's first read. None may be lost, in either direction.
 */
@Timeout(120)
class FreshConnectionsTest {
  private static final int CONNECTIONS = 150;

  private final Peers peers = new Peers();

  @AfterEach
  void stop() throws Exception {
    peers.close();
  }

  private int asyncStrandServer() throws Exception {
    ServiceDefinition service =
        ServiceDefinition.builder(Probe.SERVICE)
            .method(
                Probe.UNARY,
                ServerCalls.asyncUnary(
                    (byte[] req) -> java.util.concurrent.CompletableFuture.completedFuture(req)))
            .build();
    return peers.start(Peers.strandServer().service(service)).port();
  }

  @Test
  void everyFirstCallOfAFreshStrandChannelIsAnswered() throws Exception {
    int port = asyncStrandServer();
    for (int i = 0; i < CONNECTIONS; i++) {
      ManagedChannel channel = Peers.strandChannel(port).build();
      try {
        byte[] reply =
            ClientCalls.futureUnary(
                    channel,
                    Probe.UNARY,
                    CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(5)),
                    Probe.text("hi " + i))
                .get(10, TimeUnit.SECONDS);
        assertEquals("hi " + i, Probe.text(reply), "connection " + i);
      } finally {
        channel.shutdownNow();
        channel.awaitTermination(Duration.ofSeconds(5));
      }
    }
  }

  @Test
  void everyFirstCallOfAFreshGrpcJavaChannelIsAnswered() throws Exception {
    int port = asyncStrandServer();
    for (int i = 0; i < CONNECTIONS; i++) {
      io.grpc.ManagedChannel channel = Peers.grpcChannel(port).build();
      try {
        byte[] reply =
            io.grpc.stub.ClientCalls.futureUnaryCall(
                    channel.newCall(
                        Probe.G_UNARY,
                        io.grpc.CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS)),
                    Probe.text("hi " + i))
                .get(10, TimeUnit.SECONDS);
        assertEquals("hi " + i, Probe.text(reply), "connection " + i);
      } finally {
        channel.shutdownNow();
        channel.awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * Like a load generator's rounds: fresh channels are primed while the previous round's channels
   * are still busy (64 calls kept in flight from the event loop) and then shut down.
   */
  @Test
  void freshStrandChannelsAnswerWhileOthersAreBusy() throws Exception {
    int port = asyncStrandServer();
    java.util.List<ManagedChannel> busy = new java.util.ArrayList<>();
    try {
      for (int round = 0; round < 20; round++) {
        java.util.List<ManagedChannel> fresh = new java.util.ArrayList<>();
        for (int c = 0; c < 4; c++) {
          ManagedChannel channel = Peers.strandChannel(port).build();
          fresh.add(channel);
          byte[] reply =
              ClientCalls.futureUnary(
                      channel,
                      Probe.UNARY,
                      CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(5)),
                      Probe.text("prime"))
                  .get(10, TimeUnit.SECONDS);
          assertEquals("prime", Probe.text(reply), "round " + round + ", channel " + c);
        }
        for (ManagedChannel old : busy) {
          old.shutdownNow();
        }
        busy.clear();
        for (ManagedChannel channel : fresh) {
          for (int k = 0; k < 16; k++) {
            keepCalling(channel);
          }
        }
        Thread.sleep(100);
        busy.addAll(fresh);
      }
    } finally {
      for (ManagedChannel old : busy) {
        old.shutdownNow();
        old.awaitTermination(Duration.ofSeconds(5));
      }
    }
  }

  /** One call after another from the completion callback, until the channel shuts down. */
  private static void keepCalling(ManagedChannel channel) {
    ClientCalls.futureUnary(channel, Probe.UNARY, CallOptions.DEFAULT, Probe.text("load"))
        .whenComplete(
            (r, t) -> {
              if (t == null) {
                keepCalling(channel);
              }
            });
  }

  /**
   * Clients that drop their connections while an async handler is streaming as fast as the
   * transport takes it. The writes queued on a dead stream fail; that must stop the handler's
   * send-while-ready loop rather than make the call look ready forever, which would hold the event
   * loop and every connection on it. Afterwards fresh connections (on every event loop) are
   * answered.
   */
  @Test
  void droppedStreamingClientsLeaveEveryEventLoopServing() throws Exception {
    byte[] chunk = new byte[64 * 1024];
    ServiceDefinition service =
        ServiceDefinition.builder(Probe.SERVICE)
            .method(
                Probe.UNARY,
                ServerCalls.asyncUnary(
                    (byte[] req) -> java.util.concurrent.CompletableFuture.completedFuture(req)))
            .method(
                Probe.SERVER_STREAM,
                ServerCalls.asyncServerStreaming(
                    (byte[] req, dev.strand.stub.CallStreamObserver<byte[]> responses) -> {
                      Runnable pump =
                          () -> {
                            while (responses.isReady() && !responses.isCancelled()) {
                              responses.onNext(chunk);
                            }
                          };
                      responses.setOnReadyHandler(pump);
                      pump.run();
                    }))
            .build();
    int port = peers.start(Peers.strandServer().service(service)).port();
    for (int round = 0; round < 8; round++) {
      ManagedChannel channel = Peers.strandChannel(port).build();
      try (var stream =
          ClientCalls.serverStream(
              channel,
              Probe.SERVER_STREAM,
              CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(10)),
              Probe.text("go"))) {
        stream.next();
        stream.next();
        // Gone without a goodbye, with megabytes still queued for it on the server.
        channel.shutdownNow();
      }
      channel.awaitTermination(Duration.ofSeconds(5));
    }
    for (int i = 0; i < 8; i++) {
      ManagedChannel channel = Peers.strandChannel(port).build();
      try {
        byte[] reply =
            ClientCalls.futureUnary(
                    channel,
                    Probe.UNARY,
                    CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(5)),
                    Probe.text("still there"))
                .get(10, TimeUnit.SECONDS);
        assertEquals("still there", Probe.text(reply), "fresh connection " + i);
      } finally {
        channel.shutdownNow();
        channel.awaitTermination(Duration.ofSeconds(5));
      }
    }
  }

  /** A Strand server whose bidi method echoes each message from an async handler. */
  private int asyncEchoBidiServer() throws Exception {
    ServiceDefinition service =
        ServiceDefinition.builder(Probe.SERVICE)
            .method(
                Probe.BIDI,
                ServerCalls.asyncStreaming(
                    (dev.strand.stub.CallStreamObserver<byte[]> responses) ->
                        new dev.strand.stub.StreamObserver<byte[]>() {
                          @Override
                          public void onNext(byte[] value) {
                            responses.onNext(value);
                          }

                          @Override
                          public void onError(Throwable t) {}

                          @Override
                          public void onCompleted() {
                            responses.onCompleted();
                          }
                        }))
            .build();
    int port = peers.start(Peers.strandServer().service(service)).port();
    return port;
  }

  /** grpc-java clients ping-ponging on a bidi stream with an async Strand handler. */
  @Test
  void grpcJavaPingPongOnFreshChannelsNeverStalls() throws Exception {
    int port = asyncEchoBidiServer();
    for (int i = 0; i < 60; i++) {
      io.grpc.ManagedChannel channel = Peers.grpcChannel(port).build();
      try {
        var replies = new java.util.concurrent.LinkedBlockingQueue<byte[]>();
        var call =
            channel.newCall(
                Probe.G_BIDI, io.grpc.CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS));
        call.start(
            new io.grpc.ClientCall.Listener<byte[]>() {
              @Override
              public void onMessage(byte[] message) {
                replies.add(message);
                call.request(1);
              }
            },
            new io.grpc.Metadata());
        call.request(1);
        for (int k = 0; k < 50; k++) {
          call.sendMessage(Probe.text("ping " + k));
          byte[] reply = replies.poll(2, TimeUnit.SECONDS);
          assertEquals(
              "ping " + k,
              reply == null ? null : Probe.text(reply),
              "channel " + i + ", ping " + k);
        }
        call.halfClose();
      } finally {
        channel.shutdownNow();
        channel.awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  /** As a load generator runs it: each reply, on grpc-java's event loop, sends the next ping. */
  @Test
  void grpcJavaCallbackDrivenPingPongNeverStalls() throws Exception {
    int port = asyncEchoBidiServer();
    for (int i = 0; i < 10; i++) {
      io.grpc.ManagedChannel channel = Peers.grpcChannel(port).directExecutor().build();
      try {
        java.util.concurrent.atomic.AtomicInteger replies =
            new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.CountDownLatch enough = new java.util.concurrent.CountDownLatch(1);
        var call =
            channel.newCall(
                Probe.G_BIDI, io.grpc.CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS));
        call.start(
            new io.grpc.ClientCall.Listener<byte[]>() {
              @Override
              public void onMessage(byte[] message) {
                if (replies.incrementAndGet() >= 1000) {
                  enough.countDown();
                  return;
                }
                call.request(1);
                call.sendMessage(message);
              }
            },
            new io.grpc.Metadata());
        call.request(1);
        call.sendMessage(Probe.text("ping"));
        boolean done = enough.await(10, TimeUnit.SECONDS);
        assertEquals(true, done, "channel " + i + " stalled after " + replies.get() + " replies");
        call.cancel("done", null);
      } finally {
        channel.shutdownNow();
        channel.awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }
}
