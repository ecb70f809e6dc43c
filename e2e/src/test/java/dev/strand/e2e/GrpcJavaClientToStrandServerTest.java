package dev.strand.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.util.concurrent.ListenableFuture;
import dev.strand.server.Server;
import dev.strand.server.ServiceDefinition;
import dev.strand.stub.ServerCalls;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.SimpleResponse;
import io.grpc.testing.integration.Messages.StreamingInputCallRequest;
import io.grpc.testing.integration.Messages.StreamingInputCallResponse;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallResponse;
import io.grpc.testing.integration.TestServiceGrpc;
import io.grpc.testing.integration.TestServiceGrpc.TestServiceBlockingStub;
import io.grpc.testing.integration.TestServiceGrpc.TestServiceFutureStub;
import io.grpc.testing.integration.TestServiceGrpc.TestServiceStub;
import io.grpc.testing.integration.UnimplementedServiceGrpc;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * A grpc-java client (the reference implementation) calling a Strand server: every call shape, big
 * messages, concurrency, metadata, statuses, errors and cancellation, over cleartext, TLS and
 * mutual TLS.
 */
class GrpcJavaClientToStrandServerTest {
  static final Metadata.Key<String> ECHO_INITIAL =
      Metadata.Key.of(StrandTestService.ECHO_INITIAL, Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<byte[]> ECHO_TRAILING_BIN =
      Metadata.Key.of(StrandTestService.ECHO_TRAILING_BIN, Metadata.BINARY_BYTE_MARSHALLER);
  static final Metadata.Key<String> ECHO_ASCII =
      Metadata.Key.of(StrandTestService.ECHO_PREFIX + "ascii", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<byte[]> ECHO_BIN =
      Metadata.Key.of(StrandTestService.ECHO_PREFIX + "data-bin", Metadata.BINARY_BYTE_MARSHALLER);

  @Nested
  class Plaintext extends Cases {
    Plaintext() {
      super(Transport.PLAINTEXT);
    }

    @Test
    void handlerSeesNoTlsSession() {
      SimpleResponse r =
          blocking().unaryCall(SimpleRequest.newBuilder().setFillUsername(true).build());
      assertEquals("", r.getUsername());
    }
  }

  @Nested
  class Tls extends Cases {
    Tls() {
      super(Transport.TLS);
    }

    @Test
    void clientWithoutCertificateIsAnonymous() {
      SimpleResponse r =
          blocking().unaryCall(SimpleRequest.newBuilder().setFillUsername(true).build());
      assertEquals("", r.getUsername());
    }
  }

  @Nested
  class MutualTls extends Cases {
    MutualTls() {
      super(Transport.MUTUAL_TLS);
    }

    @Test
    void handlerSeesClientCertificate() {
      SimpleResponse r =
          blocking().unaryCall(SimpleRequest.newBuilder().setFillUsername(true).build());
      assertTrue(r.getUsername().contains("CN=testclient"), r.getUsername());
    }

    @Test
    void clientWithoutCertificateIsRefused() throws Exception {
      ManagedChannel anonymous = transport.grpcJavaChannelWithoutClientCert(server.port());
      try {
        StatusRuntimeException e =
            assertThrows(
                StatusRuntimeException.class,
                () ->
                    TestServiceGrpc.newBlockingStub(anonymous)
                        .withDeadlineAfter(10, TimeUnit.SECONDS)
                        .emptyCall(Empty.getDefaultInstance()));
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.toString());
      } finally {
        Transport.close(anonymous);
      }
    }
  }

  /**
   * A server may end a streaming call whenever it likes, before the client has finished sending:
   * the client must see the handler's own status, not a cancellation.
   */
  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  @Timeout(30)
  class HandlerEndsEarly {
    Server server;
    ManagedChannel channel;

    @BeforeAll
    void start() throws Exception {
      ServiceDefinition early =
          ServiceDefinition.builder(TestServiceDescriptors.SERVICE)
              .method(
                  TestServiceDescriptors.STREAMING_INPUT_CALL,
                  ServerCalls.clientStreaming(
                      requests ->
                          StreamingInputCallResponse.newBuilder()
                              .setAggregatedPayloadSize(
                                  requests.next().getPayload().getBody().size())
                              .build()))
              .method(
                  TestServiceDescriptors.FULL_DUPLEX_CALL,
                  ServerCalls.bidiStreaming(
                      (requests, responses) -> {
                        StreamingOutputCallRequest first = requests.next();
                        responses.send(
                            StreamingOutputCallResponse.newBuilder()
                                .setPayload(
                                    Requests.payload(first.getResponseParameters(0).getSize()))
                                .build());
                      }))
              // Async style, so no request queue is involved: answer and complete on the first one.
              .method(
                  TestServiceDescriptors.HALF_DUPLEX_CALL,
                  ServerCalls.asyncStreaming(
                      responses ->
                          new dev.strand.stub.StreamObserver<StreamingOutputCallRequest>() {
                            @Override
                            public void onNext(StreamingOutputCallRequest request) {
                              responses.onNext(
                                  StreamingOutputCallResponse.newBuilder()
                                      .setPayload(
                                          Requests.payload(
                                              request.getResponseParameters(0).getSize()))
                                      .build());
                              responses.onCompleted();
                            }

                            @Override
                            public void onError(Throwable error) {}

                            @Override
                            public void onCompleted() {}
                          }))
              .build();
      server = Transport.PLAINTEXT.strandServer().service(early).start();
      channel = Transport.PLAINTEXT.grpcJavaChannel(server.port());
    }

    @AfterAll
    void stop() throws Exception {
      Transport.close(channel);
      Transport.close(server);
    }

    @Test
    void clientStreamingHandlerReturnsBeforeHalfClose() throws Exception {
      GrpcResponses<StreamingInputCallRequest, StreamingInputCallResponse> responses =
          new GrpcResponses<>();
      TestServiceGrpc.newStub(channel)
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .streamingInputCall(responses)
          .onNext(Requests.input(42));
      Status status = responses.awaitStatus();
      assertEquals(Status.Code.OK, status.getCode(), status.toString());
      assertEquals(42, responses.next().getAggregatedPayloadSize());
    }

    @Test
    void asyncHandlerCompletesBeforeHalfClose() throws Exception {
      GrpcResponses<StreamingOutputCallRequest, StreamingOutputCallResponse> responses =
          new GrpcResponses<>();
      TestServiceGrpc.newStub(channel)
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .halfDuplexCall(responses)
          .onNext(Requests.streaming(9));
      Status status = responses.awaitStatus();
      // The response and the trailers must both arrive before any RST_STREAM(NO_ERROR).
      assertEquals(Status.Code.OK, status.getCode(), status.toString());
      assertEquals(9, responses.next().getPayload().getBody().size());
    }

    @Test
    void bidiHandlerReturnsBeforeHalfClose() throws Exception {
      GrpcResponses<StreamingOutputCallRequest, StreamingOutputCallResponse> responses =
          new GrpcResponses<>();
      TestServiceGrpc.newStub(channel)
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .fullDuplexCall(responses)
          .onNext(Requests.streaming(7));
      Status status = responses.awaitStatus();
      assertEquals(Status.Code.OK, status.getCode(), status.toString());
      assertEquals(7, responses.next().getPayload().getBody().size());
    }
  }

  /** The cases every transport must pass. */
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  @Timeout(30)
  abstract static class Cases {
    final Transport transport;
    final StrandTestService service = new StrandTestService();
    Server server;
    ManagedChannel channel;

    Cases(Transport transport) {
      this.transport = transport;
    }

    @BeforeAll
    void start() throws Exception {
      server = transport.strandServer().service(service.definition()).start();
      channel = transport.grpcJavaChannel(server.port());
    }

    @AfterAll
    void stop() throws Exception {
      Transport.close(channel);
      Transport.close(server);
    }

    TestServiceBlockingStub blocking() {
      return TestServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    TestServiceStub async() {
      return TestServiceGrpc.newStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    // ---- the four shapes ----

    @Test
    void emptyCall() {
      assertEquals(Empty.getDefaultInstance(), blocking().emptyCall(Empty.getDefaultInstance()));
    }

    @Test
    void unaryWithOneMegabyteEachWay() {
      SimpleResponse r = blocking().unaryCall(Requests.unary(1024 * 1024, 1024 * 1024));
      assertEquals(1024 * 1024, r.getPayload().getBody().size());
    }

    @Test
    void authorityReachesHandler() {
      SimpleResponse r = blocking().unaryCall(Requests.unary(0, 0));
      assertEquals(transport.authority(server.port()), r.getHostname());
    }

    @Test
    void serverStreamsHundredMessagesInOrder() {
      int[] sizes = Requests.sizes(100, 1000);
      Iterator<StreamingOutputCallResponse> it =
          blocking().streamingOutputCall(Requests.streaming(sizes));
      List<Integer> got = new ArrayList<>();
      it.forEachRemaining(r -> got.add(r.getPayload().getBody().size()));
      assertEquals(toList(sizes), got);
    }

    @Test
    void clientStreamsHundredMessages() throws Exception {
      GrpcResponses<StreamingInputCallRequest, StreamingInputCallResponse> responses =
          new GrpcResponses<>();
      var requests = async().streamingInputCall(responses);
      int total = 0;
      for (int i = 0; i < 100; i++) {
        requests.onNext(Requests.input(i * 1000));
        total += i * 1000;
      }
      requests.onCompleted();
      assertEquals(Status.Code.OK, responses.awaitStatus().getCode());
      assertEquals(total, responses.next().getAggregatedPayloadSize());
    }

    @Test
    void fullDuplexPingPong() throws Exception {
      GrpcResponses<StreamingOutputCallRequest, StreamingOutputCallResponse> responses =
          new GrpcResponses<>();
      var requests = async().fullDuplexCall(responses);
      // Each response must arrive before the next request is sent: true interleaving.
      for (int size : new int[] {31415, 9, 2653, 58979}) {
        requests.onNext(Requests.streaming(size));
        assertEquals(size, responses.next().getPayload().getBody().size());
      }
      requests.onCompleted();
      assertEquals(Status.Code.OK, responses.awaitStatus().getCode());
      assertTrue(responses.messages.isEmpty());
    }

    @Test
    void halfDuplexAnswersAfterHalfClose() throws Exception {
      GrpcResponses<StreamingOutputCallRequest, StreamingOutputCallResponse> responses =
          new GrpcResponses<>();
      var requests = async().halfDuplexCall(responses);
      requests.onNext(Requests.streaming(1, 2));
      requests.onNext(Requests.streaming(3));
      requests.onCompleted();
      assertEquals(Status.Code.OK, responses.awaitStatus().getCode());
      assertEquals(List.of(1, 2, 3), sizesOf(responses.received()));
    }

    // ---- concurrency ----

    @Test
    void manyConcurrentCallsOnOneChannel() throws Exception {
      TestServiceFutureStub future =
          TestServiceGrpc.newFutureStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
      List<ListenableFuture<SimpleResponse>> unary = new ArrayList<>();
      List<GrpcResponses<StreamingOutputCallRequest, StreamingOutputCallResponse>> streams =
          new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        unary.add(future.unaryCall(Requests.unary(i, i * 7)));
        if (i % 10 == 0) {
          GrpcResponses<StreamingOutputCallRequest, StreamingOutputCallResponse> s =
              new GrpcResponses<>();
          async().streamingOutputCall(Requests.streaming(Requests.sizes(20, i + 1)), s);
          streams.add(s);
        }
      }
      for (int i = 0; i < unary.size(); i++) {
        assertEquals(i * 7, unary.get(i).get(20, TimeUnit.SECONDS).getPayload().getBody().size());
      }
      for (int i = 0; i < streams.size(); i++) {
        assertEquals(Status.Code.OK, streams.get(i).awaitStatus().getCode());
        assertEquals(toList(Requests.sizes(20, i * 10 + 1)), sizesOf(streams.get(i).received()));
      }
    }

    // ---- metadata ----

    @Test
    void interopCustomMetadataOnUnary() {
      Metadata sent = new Metadata();
      sent.put(ECHO_INITIAL, "test_initial_metadata_value");
      sent.put(ECHO_TRAILING_BIN, new byte[] {(byte) 0xab, (byte) 0xab, (byte) 0xab});
      AtomicReference<Metadata> headers = new AtomicReference<>();
      AtomicReference<Metadata> trailers = new AtomicReference<>();
      SimpleResponse r =
          blocking()
              .withInterceptors(
                  MetadataUtils.newAttachHeadersInterceptor(sent),
                  MetadataUtils.newCaptureMetadataInterceptor(headers, trailers))
              .unaryCall(Requests.unary(271828, 314159));
      assertEquals(314159, r.getPayload().getBody().size());
      assertEquals("test_initial_metadata_value", headers.get().get(ECHO_INITIAL));
      assertArrayEquals(
          new byte[] {(byte) 0xab, (byte) 0xab, (byte) 0xab},
          trailers.get().get(ECHO_TRAILING_BIN));
    }

    @Test
    void interopCustomMetadataOnFullDuplex() throws Exception {
      Metadata sent = new Metadata();
      sent.put(ECHO_INITIAL, "test_initial_metadata_value");
      sent.put(ECHO_TRAILING_BIN, new byte[] {(byte) 0xab, (byte) 0xab, (byte) 0xab});
      AtomicReference<Metadata> headers = new AtomicReference<>();
      AtomicReference<Metadata> trailers = new AtomicReference<>();
      GrpcResponses<StreamingOutputCallRequest, StreamingOutputCallResponse> responses =
          new GrpcResponses<>();
      var requests =
          async()
              .withInterceptors(
                  MetadataUtils.newAttachHeadersInterceptor(sent),
                  MetadataUtils.newCaptureMetadataInterceptor(headers, trailers))
              .fullDuplexCall(responses);
      requests.onNext(
          Requests.streaming(314159).toBuilder().setPayload(Requests.payload(271828)).build());
      requests.onCompleted();
      assertEquals(Status.Code.OK, responses.awaitStatus().getCode());
      assertEquals(314159, responses.next().getPayload().getBody().size());
      assertEquals("test_initial_metadata_value", headers.get().get(ECHO_INITIAL));
      assertArrayEquals(
          new byte[] {(byte) 0xab, (byte) 0xab, (byte) 0xab},
          trailers.get().get(ECHO_TRAILING_BIN));
    }

    @Test
    void multiValuedMetadataEchoedInHeadersAndTrailers() {
      Metadata sent = multiValued();
      AtomicReference<Metadata> headers = new AtomicReference<>();
      AtomicReference<Metadata> trailers = new AtomicReference<>();
      blocking()
          .withInterceptors(
              MetadataUtils.newAttachHeadersInterceptor(sent),
              MetadataUtils.newCaptureMetadataInterceptor(headers, trailers))
          .unaryCall(Requests.unary(1, 1));
      assertMultiValued(headers.get());
      assertMultiValued(trailers.get());
    }

    @Test
    void multiValuedMetadataOnServerStream() {
      AtomicReference<Metadata> headers = new AtomicReference<>();
      AtomicReference<Metadata> trailers = new AtomicReference<>();
      Iterator<StreamingOutputCallResponse> it =
          blocking()
              .withInterceptors(
                  MetadataUtils.newAttachHeadersInterceptor(multiValued()),
                  MetadataUtils.newCaptureMetadataInterceptor(headers, trailers))
              .streamingOutputCall(Requests.streaming(1, 2, 3));
      it.forEachRemaining(r -> {});
      assertMultiValued(headers.get());
      assertMultiValued(trailers.get());
    }

    // ---- status ----

    @Test
    void everyStatusCodeWithSpecialCharacterDescription() {
      for (Status.Code code : Status.Code.values()) {
        if (code == Status.Code.OK) {
          continue;
        }
        String message = code + ": " + Requests.SPECIAL_MESSAGE;
        StatusRuntimeException e =
            assertThrows(
                StatusRuntimeException.class,
                () -> blocking().unaryCall(Requests.failing(code.value(), message)));
        assertEquals(code, e.getStatus().getCode(), "code " + code);
        assertEquals(message, e.getStatus().getDescription(), "description for " + code);
      }
    }

    @Test
    void okStatusFromEchoStatusIsSuccess() {
      // Code 0 asks for no error: the call succeeds normally.
      SimpleResponse r =
          blocking().unaryCall(Requests.failing(0, "fine").toBuilder().setResponseSize(3).build());
      assertEquals(3, r.getPayload().getBody().size());
    }

    @Test
    void statusAfterStreamedMessagesWithTrailers() {
      AtomicReference<Metadata> trailers = new AtomicReference<>();
      Metadata sent = new Metadata();
      sent.put(ECHO_TRAILING_BIN, new byte[] {1, 2, 3});
      Iterator<StreamingOutputCallResponse> it =
          blocking()
              .withInterceptors(
                  MetadataUtils.newAttachHeadersInterceptor(sent),
                  MetadataUtils.newCaptureMetadataInterceptor(new AtomicReference<>(), trailers))
              .streamingOutputCall(
                  Requests.streamingFailing(
                      Status.Code.ABORTED.value(), Requests.SPECIAL_MESSAGE, 10, 20));
      assertEquals(10, it.next().getPayload().getBody().size());
      assertEquals(20, it.next().getPayload().getBody().size());
      StatusRuntimeException e = assertThrows(StatusRuntimeException.class, it::next);
      assertEquals(Status.Code.ABORTED, e.getStatus().getCode());
      assertEquals(Requests.SPECIAL_MESSAGE, e.getStatus().getDescription());
      assertArrayEquals(new byte[] {1, 2, 3}, trailers.get().get(ECHO_TRAILING_BIN));
    }

    @Test
    void statusOnFullDuplexStopsProcessing() throws Exception {
      GrpcResponses<StreamingOutputCallRequest, StreamingOutputCallResponse> responses =
          new GrpcResponses<>();
      var requests = async().fullDuplexCall(responses);
      requests.onNext(Requests.streaming(5));
      assertEquals(5, responses.next().getPayload().getBody().size());
      requests.onNext(Requests.streamingFailing(Status.Code.OUT_OF_RANGE.value(), "stop", 7));
      Status status = responses.awaitStatus();
      assertEquals(Status.Code.OUT_OF_RANGE, status.getCode());
      assertEquals("stop", status.getDescription());
      assertTrue(responses.messages.isEmpty(), "no response after the failing request");
    }

    @Test
    void unknownMethodIsUnimplemented() {
      StatusRuntimeException e =
          assertThrows(
              StatusRuntimeException.class,
              () -> blocking().unimplementedCall(Empty.getDefaultInstance()));
      assertEquals(Status.Code.UNIMPLEMENTED, e.getStatus().getCode());
    }

    @Test
    void unknownServiceIsUnimplemented() {
      StatusRuntimeException e =
          assertThrows(
              StatusRuntimeException.class,
              () ->
                  UnimplementedServiceGrpc.newBlockingStub(channel)
                      .withDeadlineAfter(10, TimeUnit.SECONDS)
                      .unimplementedCall(Empty.getDefaultInstance()));
      assertEquals(Status.Code.UNIMPLEMENTED, e.getStatus().getCode());
    }

    @Test
    void handlerExceptionIsUnknownWithoutItsMessage() {
      SimpleRequest boom =
          SimpleRequest.newBuilder()
              .setPayload(Requests.payload(0).toBuilder().setBody(StrandTestService.THROW))
              .build();
      StatusRuntimeException e =
          assertThrows(StatusRuntimeException.class, () -> blocking().unaryCall(boom));
      assertEquals(Status.Code.UNKNOWN, e.getStatus().getCode());
      String description = String.valueOf(e.getStatus().getDescription());
      assertFalse(description.contains(StrandTestService.SECRET), description);
      assertFalse(description.contains("IllegalStateException"), description);
      // The server is unharmed.
      assertEquals(Empty.getDefaultInstance(), blocking().emptyCall(Empty.getDefaultInstance()));
    }

    // ---- cancellation ----

    @Test
    void clientCancelMidStreamReachesHandler() throws Exception {
      String tag = cancelServerStreamAfterTwoMessages();
      service.events.await(tag, "cancelled", 5000);
      // The handler's next send fails, so it stops instead of streaming to nobody.
      String end = service.events.awaitPrefix(tag, "finished:", 5000);
      assertTrue(!end.equals("finished:OK"), "handler finished normally after cancel: " + end);
      assertEquals(Empty.getDefaultInstance(), blocking().emptyCall(Empty.getDefaultInstance()));
    }

    @Test
    void sendOnCancelledCallThrowsCancelled() throws Exception {
      String tag = cancelServerStreamAfterTwoMessages();
      // StreamSink.send: "throws StatusException if the call was cancelled": with which status
      // matters to handler code that tells a vanished client from its own mistake.
      assertEquals("finished:CANCELLED", service.events.awaitPrefix(tag, "finished:", 5000));
    }

    /** Starts a long server stream, reads two messages, cancels; returns the call's tag. */
    private String cancelServerStreamAfterTwoMessages() throws Exception {
      String tag = UUID.randomUUID().toString();
      GrpcResponses<StreamingOutputCallRequest, StreamingOutputCallResponse> responses =
          new GrpcResponses<>();
      // 1000 responses 5 ms apart: the stream is still going when we cancel.
      tagged(async(), tag)
          .streamingOutputCall(Requests.paced(5_000, Requests.sizes(1000, 1)), responses);
      responses.next();
      responses.next();
      responses.requests().cancel("test cancels", null);
      assertEquals(Status.Code.CANCELLED, responses.awaitStatus().getCode());
      return tag;
    }

    @Test
    void clientCancelOfBidiWhileHandlerReads() throws Exception {
      String tag = UUID.randomUUID().toString();
      GrpcResponses<StreamingOutputCallRequest, StreamingOutputCallResponse> responses =
          new GrpcResponses<>();
      var requests = tagged(async(), tag).fullDuplexCall(responses);
      requests.onNext(Requests.streaming(1));
      responses.next();
      // The handler is now blocked reading the next request; cancelling must wake it.
      responses.requests().cancel("test cancels", null);
      service.events.await(tag, "cancelled", 5000);
      service.events.await(tag, "finished:CANCELLED", 5000);
      assertEquals(Empty.getDefaultInstance(), blocking().emptyCall(Empty.getDefaultInstance()));
    }

    @Test
    void deadlineReachesHandler() throws Exception {
      String tag = UUID.randomUUID().toString();
      GrpcResponses<StreamingOutputCallRequest, StreamingOutputCallResponse> responses =
          new GrpcResponses<>();
      // Would take 10 s; the 300 ms deadline must end it on both sides.
      tagged(TestServiceGrpc.newStub(channel).withDeadlineAfter(300, TimeUnit.MILLISECONDS), tag)
          .streamingOutputCall(Requests.paced(10_000, Requests.sizes(1000, 1)), responses);
      assertEquals(Status.Code.DEADLINE_EXCEEDED, responses.awaitStatus().getCode());
      service.events.await(tag, "cancelled", 5000);
    }

    // ---- helpers ----

    static <S extends io.grpc.stub.AbstractStub<S>> S tagged(S stub, String tag) {
      Metadata md = new Metadata();
      md.put(GrpcJavaTestService.TAG, tag);
      return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
    }
  }

  static Metadata multiValued() {
    Metadata md = new Metadata();
    md.put(ECHO_ASCII, "first");
    md.put(ECHO_ASCII, "second, with comma");
    md.put(ECHO_ASCII, "third");
    md.put(ECHO_BIN, new byte[] {0, 1, 2, (byte) 0xff});
    md.put(ECHO_BIN, new byte[0]);
    md.put(ECHO_BIN, new byte[] {(byte) 0xfe, 0x2c});
    return md;
  }

  static void assertMultiValued(Metadata md) {
    assertNotNull(md, "metadata was not received");
    assertEquals(List.of("first", "second, with comma", "third"), list(md.getAll(ECHO_ASCII)));
    List<byte[]> bin = list(md.getAll(ECHO_BIN));
    assertEquals(3, bin.size(), "binary values: " + md);
    assertArrayEquals(new byte[] {0, 1, 2, (byte) 0xff}, bin.get(0));
    assertArrayEquals(new byte[0], bin.get(1));
    assertArrayEquals(new byte[] {(byte) 0xfe, 0x2c}, bin.get(2));
  }

  static <T> List<T> list(Iterable<T> values) {
    List<T> out = new ArrayList<>();
    if (values != null) {
      values.forEach(out::add);
    }
    return out;
  }

  static List<Integer> toList(int[] sizes) {
    List<Integer> out = new ArrayList<>();
    for (int s : sizes) {
      out.add(s);
    }
    return out;
  }

  static List<Integer> sizesOf(List<StreamingOutputCallResponse> responses) {
    List<Integer> out = new ArrayList<>();
    for (StreamingOutputCallResponse r : responses) {
      out.add(r.getPayload().getBody().size());
    }
    return out;
  }
}
