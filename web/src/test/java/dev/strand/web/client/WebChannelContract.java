package dev.strand.web.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.strand.Status;
import dev.strand.StatusException;
import dev.strand.client.Channel;
import dev.strand.client.ChannelBuilder;
import dev.strand.client.ManagedChannel;
import dev.strand.client.WireProtocol;
import dev.strand.stub.StreamSource;
import io.grpc.testing.integration.Messages.EchoStatus;
import io.grpc.testing.integration.Messages.Payload;
import io.grpc.testing.integration.Messages.ResponseParameters;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.SimpleResponse;
import io.grpc.testing.integration.Messages.StreamingInputCallRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallResponse;
import io.grpc.testing.integration.TestService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a Strand channel speaking a web protocol over HTTP/1.1 must do against any server of
 * grpc.testing.TestService that speaks it: each subclass names the protocol and the server.
 */
abstract class WebChannelContract {
  static final String ECHO_INITIAL = "x-grpc-test-echo-initial";
  static final String ECHO_TRAILING = "x-grpc-test-echo-trailing-bin";

  private final List<ManagedChannel> channels = new ArrayList<>();

  /** The protocol under test. */
  abstract WireProtocol protocol();

  /** host:port of a server that speaks it over HTTP/1.1. */
  abstract String target();

  ManagedChannel channel(java.util.function.Consumer<ChannelBuilder> setup) {
    ChannelBuilder builder = Channel.to(target()).plaintext().protocol(protocol());
    setup.accept(builder);
    ManagedChannel channel = builder.build();
    channels.add(channel);
    return channel;
  }

  TestService.Client client(CapturingInterceptor capture) {
    return TestService.client(channel(b -> b.interceptor(capture)));
  }

  @AfterEach
  void closeChannels() throws InterruptedException {
    for (ManagedChannel channel : channels) {
      channel.shutdownNow();
      assertTrue(channel.awaitTermination(Duration.ofSeconds(5)), "channel terminated");
    }
  }

  static Payload zeros(int size) {
    return Payload.newBuilder().setBody(ByteString.copyFrom(new byte[size])).build();
  }

  @Test
  void unaryCarriesLargeMessagesBothWays() {
    CapturingInterceptor capture = new CapturingInterceptor();
    SimpleResponse response =
        client(capture)
            .unaryCall(
                SimpleRequest.newBuilder()
                    .setResponseSize(300 * 1024)
                    .setPayload(zeros(300 * 1024))
                    .build());
    assertEquals(300 * 1024, response.getPayload().getBody().size());
    assertEquals(Status.Code.OK, capture.status.code());
  }

  @Test
  void serverStreamingDeliversEveryMessageInOrder() {
    StreamingOutputCallRequest.Builder request = StreamingOutputCallRequest.newBuilder();
    int[] sizes = {31415, 9, 2653, 300 * 1024, 58979};
    for (int size : sizes) {
      request.addResponseParameters(ResponseParameters.newBuilder().setSize(size));
    }
    List<Integer> received = new ArrayList<>();
    try (StreamSource<StreamingOutputCallResponse> responses =
        client(new CapturingInterceptor()).streamingOutputCall(request.build())) {
      for (StreamingOutputCallResponse response : responses) {
        received.add(response.getPayload().getBody().size());
      }
    }
    assertEquals(List.of(31415, 9, 2653, 300 * 1024, 58979), received);
  }

  @Test
  void metadataTravelsBothWaysIncludingBinaryTrailers() {
    CapturingInterceptor capture = new CapturingInterceptor();
    byte[] trailing = {0, 1, 2, (byte) 0xfe, (byte) 0xff};
    capture.toSend.add(ECHO_INITIAL, "initial value");
    capture.toSend.addBinary(ECHO_TRAILING, trailing);
    client(capture).unaryCall(SimpleRequest.newBuilder().setResponseSize(1).build());
    assertEquals("initial value", capture.headers.get(ECHO_INITIAL));
    assertArrayEquals(trailing, capture.trailers.getBinary(ECHO_TRAILING));
  }

  @Test
  void serverStatusWithNonAsciiMessageArrives() {
    String message = "nicht gefunden: Grüße, 世界 \t✓";
    StatusException error =
        assertThrows(
            StatusException.class,
            () ->
                client(new CapturingInterceptor())
                    .unaryCall(
                        SimpleRequest.newBuilder()
                            .setResponseStatus(
                                EchoStatus.newBuilder().setCode(5).setMessage(message))
                            .build()));
    assertEquals(Status.Code.NOT_FOUND, error.code());
    assertEquals(message, error.status().description());
  }

  @Test
  void serverStreamingErrorAfterMessagesArrives() {
    StreamingOutputCallRequest request =
        StreamingOutputCallRequest.newBuilder()
            .setResponseStatus(EchoStatus.newBuilder().setCode(9).setMessage("stopped ✗"))
            .build();
    StatusException error =
        assertThrows(
            StatusException.class,
            () -> {
              try (StreamSource<StreamingOutputCallResponse> responses =
                  client(new CapturingInterceptor()).streamingOutputCall(request)) {
                responses.forEach(r -> {});
              }
            });
    assertEquals(Status.Code.FAILED_PRECONDITION, error.code());
    assertEquals("stopped ✗", error.status().description());
  }

  @Test
  void deadlineEndsASlowStream() {
    StreamingOutputCallRequest request =
        StreamingOutputCallRequest.newBuilder()
            .addResponseParameters(ResponseParameters.newBuilder().setSize(1))
            .addResponseParameters(
                ResponseParameters.newBuilder().setSize(1).setIntervalUs(3_000_000))
            .build();
    long start = System.nanoTime();
    StatusException error =
        assertThrows(
            StatusException.class,
            () -> {
              try (StreamSource<StreamingOutputCallResponse> responses =
                  client(new CapturingInterceptor())
                      .withTimeout(Duration.ofMillis(400))
                      .streamingOutputCall(request)) {
                responses.forEach(r -> {});
              }
            });
    long tookMillis = (System.nanoTime() - start) / 1_000_000;
    assertEquals(Status.Code.DEADLINE_EXCEEDED, error.code(), error.toString());
    assertTrue(tookMillis < 2500, "ended at the deadline, not the server's 3 s: " + tookMillis);
  }

  @Test
  void clientStreamingIsRefusedAtOnceWithAClearStatus() {
    var call = client(new CapturingInterceptor()).streamingInputCall();
    StatusException error =
        assertThrows(
            StatusException.class,
            () -> {
              call.send(StreamingInputCallRequest.getDefaultInstance());
              call.finish();
            });
    assertEquals(Status.Code.UNIMPLEMENTED, error.code());
    assertTrue(error.status().description().contains("HTTP/1.1"), error.toString());
  }

  @Test
  void gzipRequestsAreUnderstood() {
    TestService.Client client = TestService.client(channel(b -> b.compression("gzip")));
    SimpleResponse response =
        client.unaryCall(
            SimpleRequest.newBuilder().setResponseSize(10).setPayload(zeros(64 * 1024)).build());
    assertEquals(10, response.getPayload().getBody().size());
  }

  @Test
  void concurrentCallsEachGetTheirOwnAnswer() throws Exception {
    TestService.Client client = TestService.client(channel(b -> {}));
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      List<Future<Integer>> sizes = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        int size = 100 + i;
        sizes.add(
            threads.submit(
                () ->
                    client
                        .unaryCall(SimpleRequest.newBuilder().setResponseSize(size).build())
                        .getPayload()
                        .getBody()
                        .size()));
      }
      for (int i = 0; i < 64; i++) {
        assertEquals(100 + i, sizes.get(i).get());
      }
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void anUnknownMethodIsUnimplemented() {
    StatusException error =
        assertThrows(
            StatusException.class,
            () ->
                io.grpc.testing.integration.UnimplementedService.client(channel(b -> {}))
                    .unimplementedCall(
                        io.grpc.testing.integration.EmptyProtos.Empty.getDefaultInstance()));
    assertEquals(Status.Code.UNIMPLEMENTED, error.code());
  }
}
