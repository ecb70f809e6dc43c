package dev.strand.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.client.CallOptions;
import dev.strand.client.ManagedChannel;
import dev.strand.server.Server;
import dev.strand.server.ServiceDefinition;
import dev.strand.stub.ClientCalls;
import dev.strand.stub.ClientStreamCall;
import dev.strand.stub.ServerCalls;
import dev.strand.stub.StreamSink;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.testing.integration.Messages.StreamingInputCallRequest;
import io.grpc.testing.integration.Messages.StreamingInputCallResponse;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallResponse;
import io.grpc.testing.integration.TestServiceGrpc;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Backpressure across implementations: a blocking Strand writer must wait in {@code
 * StreamSink.send} while a grpc-java reader is not reading, with only about one HTTP/2 window of
 * messages in flight, and resume when the reader asks for more.
 */
@Timeout(60)
class FlowControlTest {
  private static final int MESSAGE = 64 * 1024;
  private static final int WINDOW = 1024 * 1024;
  private static final int TOTAL = 100;

  /**
   * What may be out before a writer blocks: the peer's stream window of 64 KiB messages, plus a few
   * for the writer's own queue threshold, partial frames and the request that unblocked it.
   */
  private static final int MAX_IN_FLIGHT = WINDOW / MESSAGE + 4;

  private Server strandServer;
  private io.grpc.ManagedChannel grpcChannel;
  private io.grpc.Server grpcServer;
  private ManagedChannel strandChannel;

  @AfterEach
  void stop() throws Exception {
    Transport.close(grpcChannel);
    Transport.close(strandChannel);
    Transport.close(strandServer);
    Transport.close(grpcServer);
  }

  @Test
  void strandServerStreamBlocksWhileGrpcJavaClientDoesNotRead() throws Exception {
    AtomicInteger sent = new AtomicInteger();
    AtomicReference<StreamSink<StreamingOutputCallResponse>> sink = new AtomicReference<>();
    ServiceDefinition firehose =
        ServiceDefinition.builder(TestServiceDescriptors.SERVICE)
            .method(
                TestServiceDescriptors.STREAMING_OUTPUT_CALL,
                ServerCalls.serverStreaming(
                    (StreamingOutputCallRequest request,
                        StreamSink<StreamingOutputCallResponse> out) -> {
                      sink.set(out);
                      StreamingOutputCallResponse big =
                          StreamingOutputCallResponse.newBuilder()
                              .setPayload(Requests.payload(MESSAGE))
                              .build();
                      for (int i = 0; i < TOTAL; i++) {
                        out.send(big);
                        sent.incrementAndGet();
                      }
                    }))
            .build();
    strandServer = Transport.PLAINTEXT.strandServer().service(firehose).start();
    // A fixed window (no BDP auto-tuning), so the bound below is exact enough.
    grpcChannel =
        NettyChannelBuilder.forAddress(Transport.HOST, strandServer.port())
            .usePlaintext()
            .flowControlWindow(WINDOW)
            .build();

    RawGrpcListener<StreamingOutputCallResponse> listener = new RawGrpcListener<>();
    io.grpc.ClientCall<StreamingOutputCallRequest, StreamingOutputCallResponse> call =
        grpcChannel.newCall(
            TestServiceGrpc.getStreamingOutputCallMethod(),
            io.grpc.CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS));
    call.start(listener, new Metadata());
    call.sendMessage(StreamingOutputCallRequest.getDefaultInstance());
    call.halfClose();
    call.request(1);
    assertNotNull(
        listener.messages.poll(5, TimeUnit.SECONDS),
        () ->
            "no first message; handler"
                + " sent "
                + sent.get()
                + ", call status "
                + listener.status.getNow(null));

    int stalledAt = awaitStable(sent::get);
    assertTrue(stalledAt < TOTAL, "the handler never blocked: it sent all " + TOTAL);
    assertTrue(
        stalledAt <= MAX_IN_FLIGHT,
        "sent "
            + stalledAt
            + " x 64 KiB to a reader that"
            + " took one; the window allows about "
            + WINDOW / MESSAGE);
    assertFalse(sink.get().isReady(), "the sink says it is ready while its writer is blocked");

    call.request(TOTAL);
    for (int i = 1; i < TOTAL; i++) {
      assertNotNull(listener.messages.poll(10, TimeUnit.SECONDS), "message " + i);
    }
    assertEquals(Status.Code.OK, listener.status.get(10, TimeUnit.SECONDS).getCode());
    assertEquals(TOTAL, sent.get());
  }

  @Test
  void strandClientStreamBlocksWhileGrpcJavaServerDoesNotRead() throws Exception {
    AtomicReference<ServerCall<StreamingInputCallRequest, StreamingInputCallResponse>> serverCall =
        new AtomicReference<>();
    CompletableFuture<Void> started = new CompletableFuture<>();
    grpcServer =
        NettyServerBuilder.forAddress(new InetSocketAddress(Transport.HOST, 0))
            .flowControlWindow(WINDOW)
            .addService(
                ServerServiceDefinition.builder(TestServiceGrpc.SERVICE_NAME)
                    .addMethod(
                        TestServiceGrpc.getStreamingInputCallMethod(),
                        (call, headers) -> {
                          // A raw handler asks for nothing until the test says so.
                          serverCall.set(call);
                          started.complete(null);
                          return new SummingListener(call);
                        })
                    .build())
            .build()
            .start();
    strandChannel = Transport.PLAINTEXT.strandChannel(grpcServer.getPort()).build();

    ClientStreamCall<StreamingInputCallRequest, StreamingInputCallResponse> call =
        ClientCalls.clientStream(
            strandChannel,
            TestServiceDescriptors.STREAMING_INPUT_CALL,
            CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(30)));
    AtomicInteger sent = new AtomicInteger();
    CompletableFuture<StreamingInputCallResponse> result =
        CompletableFuture.supplyAsync(
            () -> {
              StreamingInputCallRequest big = Requests.input(MESSAGE);
              for (int i = 0; i < TOTAL; i++) {
                call.send(big);
                sent.incrementAndGet();
              }
              return call.finish();
            });
    started.get(5, TimeUnit.SECONDS);

    int stalledAt = awaitStable(sent::get);
    assertTrue(stalledAt < TOTAL, "the writer never blocked: it sent all " + TOTAL);
    assertTrue(
        stalledAt <= MAX_IN_FLIGHT,
        "sent "
            + stalledAt
            + " x 64 KiB to a server that"
            + " read none; the window allows about "
            + WINDOW / MESSAGE);
    assertFalse(call.isReady(), "isReady() while the writer is blocked");
    assertFalse(result.isDone());

    serverCall.get().request(Integer.MAX_VALUE);
    StreamingInputCallResponse response = result.get(20, TimeUnit.SECONDS);
    assertEquals(TOTAL * MESSAGE, response.getAggregatedPayloadSize());
  }

  /**
   * Waits until a counter stops moving: how a test sees that a writer is blocked. Bounded: fails if
   * it is still moving after 10 s.
   */
  static int awaitStable(IntSupplier counter) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    int last = counter.getAsInt();
    int quietRounds = 0;
    while (quietRounds < 5) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("counter still moving after 10 s: " + counter.getAsInt());
      }
      Thread.sleep(100);
      int now = counter.getAsInt();
      quietRounds = now == last ? quietRounds + 1 : 0;
      last = now;
    }
    return last;
  }

  /** Adds up request payloads and answers once the client half-closes. */
  private static final class SummingListener
      extends ServerCall.Listener<StreamingInputCallRequest> {
    private final ServerCall<StreamingInputCallRequest, StreamingInputCallResponse> call;
    private int total;

    SummingListener(ServerCall<StreamingInputCallRequest, StreamingInputCallResponse> call) {
      this.call = call;
    }

    @Override
    public void onMessage(StreamingInputCallRequest message) {
      total += message.getPayload().getBody().size();
    }

    @Override
    public void onHalfClose() {
      call.sendHeaders(new Metadata());
      call.sendMessage(
          StreamingInputCallResponse.newBuilder().setAggregatedPayloadSize(total).build());
      call.close(Status.OK, new Metadata());
    }
  }

  /** Records what a raw grpc-java ClientCall delivers. */
  static final class RawGrpcListener<T> extends io.grpc.ClientCall.Listener<T> {
    final BlockingQueue<T> messages = new LinkedBlockingQueue<>();
    final CompletableFuture<Status> status = new CompletableFuture<>();

    @Override
    public void onMessage(T message) {
      messages.add(message);
    }

    @Override
    public void onClose(Status s, Metadata trailers) {
      status.complete(s);
    }
  }
}
