package dev.strand.e2e;

import static dev.strand.e2e.TestServiceDescriptors.EMPTY_CALL;
import static dev.strand.e2e.TestServiceDescriptors.FULL_DUPLEX_CALL;
import static dev.strand.e2e.TestServiceDescriptors.HALF_DUPLEX_CALL;
import static dev.strand.e2e.TestServiceDescriptors.STREAMING_INPUT_CALL;
import static dev.strand.e2e.TestServiceDescriptors.STREAMING_OUTPUT_CALL;
import static dev.strand.e2e.TestServiceDescriptors.UNARY_CALL;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.Metadata;
import dev.strand.Status;
import dev.strand.StatusException;
import dev.strand.client.CallOptions;
import dev.strand.client.Channel;
import dev.strand.client.ClientCall;
import dev.strand.client.ClientInterceptors;
import dev.strand.client.ManagedChannel;
import dev.strand.stub.BidiStreamCall;
import dev.strand.stub.ClientCalls;
import dev.strand.stub.ClientStreamCall;
import dev.strand.stub.StreamSource;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.SimpleResponse;
import io.grpc.testing.integration.Messages.StreamingInputCallRequest;
import io.grpc.testing.integration.Messages.StreamingInputCallResponse;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * A Strand client calling a grpc-java server (the reference implementation): the mirror of {@link
 * GrpcJavaClientToStrandServerTest}, through every client style Strand offers, over cleartext, TLS
 * and mutual TLS.
 */
class StrandClientToGrpcJavaServerTest {
  /** A fresh 20 s deadline per call: a Deadline is a point in time, not a duration. */
  static CallOptions options() {
    return CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(20));
  }

  static final String ECHO_ASCII = StrandTestService.ECHO_PREFIX + "ascii";
  static final String ECHO_BIN = StrandTestService.ECHO_PREFIX + "data-bin";

  @Nested
  class Plaintext extends Cases {
    Plaintext() {
      super(Transport.PLAINTEXT);
    }
  }

  @Nested
  class Tls extends Cases {
    Tls() {
      super(Transport.TLS);
    }

    @Test
    void serverSeesNoClientCertificate() {
      SimpleResponse r =
          ClientCalls.blockingUnary(
              channel,
              UNARY_CALL,
              options(),
              SimpleRequest.newBuilder().setFillUsername(true).build());
      assertEquals("", r.getUsername());
    }

    @Test
    void wrongAuthorityFailsCertificateCheck() throws Exception {
      // server1.pem is not valid for this name: the handshake must fail, not carry on.
      try (ManagedChannel wrong =
          Channel.to(Transport.HOST, server.getPort())
              .trustCa(TestCerts.CA)
              .overrideAuthority("wrong.example.com")
              .build()) {
        StatusException e =
            assertThrows(
                StatusException.class,
                () ->
                    ClientCalls.blockingUnary(
                        wrong, EMPTY_CALL, options(), Empty.getDefaultInstance()));
        assertEquals(Status.Code.UNAVAILABLE, e.code(), e.toString());
      }
    }
  }

  @Nested
  class MutualTls extends Cases {
    MutualTls() {
      super(Transport.MUTUAL_TLS);
    }

    @Test
    void serverSeesClientCertificate() {
      SimpleResponse r =
          ClientCalls.blockingUnary(
              channel,
              UNARY_CALL,
              options(),
              SimpleRequest.newBuilder().setFillUsername(true).build());
      assertTrue(r.getUsername().contains("CN=testclient"), r.getUsername());
    }

    @Test
    void clientWithoutCertificateIsRefused() throws Exception {
      try (ManagedChannel anonymous =
          Channel.to(Transport.HOST, server.getPort())
              .trustCa(TestCerts.CA)
              .overrideAuthority(TestCerts.AUTHORITY)
              .build()) {
        StatusException e =
            assertThrows(
                StatusException.class,
                () ->
                    ClientCalls.blockingUnary(
                        anonymous, EMPTY_CALL, options(), Empty.getDefaultInstance()));
        assertEquals(Status.Code.UNAVAILABLE, e.code(), e.toString());
      }
    }
  }

  /** The cases every transport must pass. */
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  @Timeout(30)
  abstract static class Cases {
    final Transport transport;
    final GrpcJavaTestService service = new GrpcJavaTestService();
    io.grpc.Server server;
    ManagedChannel channel;

    Cases(Transport transport) {
      this.transport = transport;
    }

    @BeforeAll
    void start() {
      server = transport.grpcJavaServer(0, service.definition());
      channel = transport.strandChannel(server.getPort()).build();
    }

    @AfterAll
    void stop() throws Exception {
      Transport.close(channel);
      Transport.close(server);
    }

    // ---- the four shapes, each client style ----

    @Test
    void emptyCall() {
      assertEquals(
          Empty.getDefaultInstance(),
          ClientCalls.blockingUnary(channel, EMPTY_CALL, options(), Empty.getDefaultInstance()));
    }

    @Test
    void blockingUnaryWithOneMegabyteEachWay() {
      SimpleResponse r =
          ClientCalls.blockingUnary(
              channel, UNARY_CALL, options(), Requests.unary(1024 * 1024, 1024 * 1024));
      assertEquals(1024 * 1024, r.getPayload().getBody().size());
    }

    @Test
    void authorityReachesServer() {
      SimpleResponse r =
          ClientCalls.blockingUnary(channel, UNARY_CALL, options(), Requests.unary(0, 0));
      assertEquals(transport.authority(server.getPort()), r.getHostname());
    }

    @Test
    void futureUnary() throws Exception {
      CompletableFuture<SimpleResponse> f =
          ClientCalls.futureUnary(channel, UNARY_CALL, options(), Requests.unary(10, 20));
      assertEquals(20, f.get(10, TimeUnit.SECONDS).getPayload().getBody().size());
    }

    @Test
    void serverStreamOfHundredMessages() {
      int[] sizes = Requests.sizes(100, 1000);
      List<Integer> got = new ArrayList<>();
      try (StreamSource<StreamingOutputCallResponse> source =
          ClientCalls.serverStream(
              channel, STREAMING_OUTPUT_CALL, options(), Requests.streaming(sizes))) {
        for (StreamingOutputCallResponse r : source) {
          got.add(r.getPayload().getBody().size());
        }
      }
      assertEquals(GrpcJavaClientToStrandServerTest.toList(sizes), got);
    }

    @Test
    void clientStreamOfHundredMessages() {
      ClientStreamCall<StreamingInputCallRequest, StreamingInputCallResponse> call =
          ClientCalls.clientStream(channel, STREAMING_INPUT_CALL, options());
      int total = 0;
      for (int i = 0; i < 100; i++) {
        call.send(Requests.input(i * 1000));
        total += i * 1000;
      }
      assertEquals(total, call.finish().getAggregatedPayloadSize());
    }

    @Test
    void bidiPingPong() {
      BidiStreamCall<StreamingOutputCallRequest, StreamingOutputCallResponse> call =
          ClientCalls.bidiStream(channel, FULL_DUPLEX_CALL, options());
      for (int size : new int[] {31415, 9, 2653, 58979}) {
        call.send(Requests.streaming(size));
        assertEquals(size, call.next().getPayload().getBody().size());
      }
      call.halfClose();
      assertNull(call.next(), "stream ends after half-close");
    }

    @Test
    void halfDuplexAnswersAfterHalfClose() {
      BidiStreamCall<StreamingOutputCallRequest, StreamingOutputCallResponse> call =
          ClientCalls.bidiStream(channel, HALF_DUPLEX_CALL, options());
      call.send(Requests.streaming(1, 2));
      call.send(Requests.streaming(3));
      call.halfClose();
      List<Integer> got = new ArrayList<>();
      for (StreamingOutputCallResponse r : call) {
        got.add(r.getPayload().getBody().size());
      }
      assertEquals(List.of(1, 2, 3), got);
    }

    @Test
    void manyConcurrentCalls() throws Exception {
      List<CompletableFuture<SimpleResponse>> futures = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        futures.add(
            ClientCalls.futureUnary(channel, UNARY_CALL, options(), Requests.unary(i, i * 7)));
      }
      for (int i = 0; i < futures.size(); i++) {
        assertEquals(i * 7, futures.get(i).get(20, TimeUnit.SECONDS).getPayload().getBody().size());
      }
    }

    // ---- raw ClientCall with explicit flow control ----

    @Test
    void rawCallDeliversOnlyWhatWasRequested() throws Exception {
      RawListener<StreamingOutputCallResponse> listener = new RawListener<>();
      ClientCall<StreamingOutputCallRequest, StreamingOutputCallResponse> call =
          channel.newCall(STREAMING_OUTPUT_CALL, options());
      call.start(listener, new Metadata());
      call.sendMessage(Requests.streaming(Requests.sizes(10, 3)));
      call.halfClose();
      call.request(1);
      assertEquals(0, listener.next().getPayload().getBody().size());
      // All ten are on their way, but only one was asked for.
      listener.assertNothingMoreFor(200);
      call.request(3);
      for (int i = 1; i <= 3; i++) {
        assertEquals(i * 3, listener.next().getPayload().getBody().size());
      }
      listener.assertNothingMoreFor(200);
      assertTrue(!listener.closed.isDone(), "no status before every message was delivered");
      call.request(100);
      for (int i = 4; i < 10; i++) {
        assertEquals(i * 3, listener.next().getPayload().getBody().size());
      }
      assertEquals(Status.Code.OK, listener.closed.get(5, TimeUnit.SECONDS).code());
    }

    // ---- metadata ----

    @Test
    void interopCustomMetadataOnUnary() throws Exception {
      MetadataCapture capture =
          new MetadataCapture(
              new Metadata()
                  .add(StrandTestService.ECHO_INITIAL, "test_initial_metadata_value")
                  .addBinary(
                      StrandTestService.ECHO_TRAILING_BIN,
                      new byte[] {(byte) 0xab, (byte) 0xab, (byte) 0xab}));
      SimpleResponse r =
          ClientCalls.blockingUnary(
              ClientInterceptors.intercept(channel, capture),
              UNARY_CALL,
              options(),
              Requests.unary(271828, 314159));
      assertEquals(314159, r.getPayload().getBody().size());
      assertEquals(
          "test_initial_metadata_value",
          capture.headers.get(5, TimeUnit.SECONDS).get(StrandTestService.ECHO_INITIAL));
      assertArrayEquals(
          new byte[] {(byte) 0xab, (byte) 0xab, (byte) 0xab},
          capture.trailers.get(5, TimeUnit.SECONDS).getBinary(StrandTestService.ECHO_TRAILING_BIN));
    }

    @Test
    void interopCustomMetadataOnFullDuplex() throws Exception {
      MetadataCapture capture =
          new MetadataCapture(
              new Metadata()
                  .add(StrandTestService.ECHO_INITIAL, "test_initial_metadata_value")
                  .addBinary(
                      StrandTestService.ECHO_TRAILING_BIN,
                      new byte[] {(byte) 0xab, (byte) 0xab, (byte) 0xab}));
      BidiStreamCall<StreamingOutputCallRequest, StreamingOutputCallResponse> call =
          ClientCalls.bidiStream(
              ClientInterceptors.intercept(channel, capture), FULL_DUPLEX_CALL, options());
      call.send(
          Requests.streaming(314159).toBuilder().setPayload(Requests.payload(271828)).build());
      call.halfClose();
      assertEquals(314159, call.next().getPayload().getBody().size());
      assertNull(call.next());
      assertEquals(
          "test_initial_metadata_value",
          capture.headers.get(5, TimeUnit.SECONDS).get(StrandTestService.ECHO_INITIAL));
      assertArrayEquals(
          new byte[] {(byte) 0xab, (byte) 0xab, (byte) 0xab},
          capture.trailers.get(5, TimeUnit.SECONDS).getBinary(StrandTestService.ECHO_TRAILING_BIN));
    }

    @Test
    void multiValuedMetadataEchoedInHeadersAndTrailers() throws Exception {
      MetadataCapture capture = new MetadataCapture(multiValued());
      ClientCalls.blockingUnary(
          ClientInterceptors.intercept(channel, capture),
          UNARY_CALL,
          options(),
          Requests.unary(1, 1));
      assertMultiValued(capture.headers.get(5, TimeUnit.SECONDS));
      assertMultiValued(capture.trailers.get(5, TimeUnit.SECONDS));
    }

    @Test
    void multiValuedMetadataOnServerStream() throws Exception {
      MetadataCapture capture = new MetadataCapture(multiValued());
      try (StreamSource<StreamingOutputCallResponse> source =
          ClientCalls.serverStream(
              ClientInterceptors.intercept(channel, capture),
              STREAMING_OUTPUT_CALL,
              options(),
              Requests.streaming(1, 2, 3))) {
        source.forEach(r -> {});
      }
      assertMultiValued(capture.headers.get(5, TimeUnit.SECONDS));
      assertMultiValued(capture.trailers.get(5, TimeUnit.SECONDS));
    }

    // ---- status ----

    @Test
    void everyStatusCodeWithSpecialCharacterDescription() {
      for (Status.Code code : Status.Code.values()) {
        if (code == Status.Code.OK) {
          continue;
        }
        String message = code + ": " + Requests.SPECIAL_MESSAGE;
        StatusException e =
            assertThrows(
                StatusException.class,
                () ->
                    ClientCalls.blockingUnary(
                        channel, UNARY_CALL, options(), Requests.failing(code.value(), message)));
        assertEquals(code, e.code(), "code " + code);
        assertEquals(message, e.status().description(), "description for " + code);
      }
    }

    @Test
    void statusAfterStreamedMessagesWithTrailers() throws Exception {
      MetadataCapture capture =
          new MetadataCapture(
              new Metadata().addBinary(StrandTestService.ECHO_TRAILING_BIN, new byte[] {1, 2, 3}));
      try (StreamSource<StreamingOutputCallResponse> source =
          ClientCalls.serverStream(
              ClientInterceptors.intercept(channel, capture),
              STREAMING_OUTPUT_CALL,
              options(),
              Requests.streamingFailing(
                  Status.Code.ABORTED.value(), Requests.SPECIAL_MESSAGE, 10, 20))) {
        assertEquals(10, source.next().getPayload().getBody().size());
        assertEquals(20, source.next().getPayload().getBody().size());
        StatusException e = assertThrows(StatusException.class, source::next);
        assertEquals(Status.Code.ABORTED, e.code());
        assertEquals(Requests.SPECIAL_MESSAGE, e.status().description());
        assertArrayEquals(
            new byte[] {1, 2, 3}, e.trailers().getBinary(StrandTestService.ECHO_TRAILING_BIN));
      }
    }

    @Test
    void statusOnBidiStopsTheCall() {
      BidiStreamCall<StreamingOutputCallRequest, StreamingOutputCallResponse> call =
          ClientCalls.bidiStream(channel, FULL_DUPLEX_CALL, options());
      call.send(Requests.streaming(5));
      assertEquals(5, call.next().getPayload().getBody().size());
      call.send(Requests.streamingFailing(Status.Code.OUT_OF_RANGE.value(), "stop", 7));
      StatusException e = assertThrows(StatusException.class, call::next);
      assertEquals(Status.Code.OUT_OF_RANGE, e.code());
      assertEquals("stop", e.status().description());
    }

    @Test
    void unknownMethodIsUnimplemented() {
      StatusException e =
          assertThrows(
              StatusException.class,
              () ->
                  ClientCalls.blockingUnary(
                      channel,
                      TestServiceDescriptors.UNIMPLEMENTED_CALL,
                      options(),
                      Empty.getDefaultInstance()));
      assertEquals(Status.Code.UNIMPLEMENTED, e.code());
    }

    @Test
    void unknownServiceIsUnimplemented() {
      StatusException e =
          assertThrows(
              StatusException.class,
              () ->
                  ClientCalls.blockingUnary(
                      channel,
                      TestServiceDescriptors.UNKNOWN_SERVICE_CALL,
                      options(),
                      Empty.getDefaultInstance()));
      assertEquals(Status.Code.UNIMPLEMENTED, e.code());
    }

    // ---- deadlines and cancellation ----

    @Test
    void deadlineExceededOnTimeWhenServerNeverAnswers() throws Exception {
      String tag = UUID.randomUUID().toString();
      SimpleRequest hang =
          SimpleRequest.newBuilder()
              .setPayload(Requests.payload(0).toBuilder().setBody(GrpcJavaTestService.HANG))
              .build();
      long start = System.nanoTime();
      StatusException e =
          assertThrows(
              StatusException.class,
              () ->
                  ClientCalls.blockingUnary(
                      tagged(tag),
                      UNARY_CALL,
                      CallOptions.DEFAULT.withTimeout(Duration.ofMillis(300)),
                      hang));
      long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertEquals(Status.Code.DEADLINE_EXCEEDED, e.code(), e.toString());
      assertTrue(elapsedMs >= 250 && elapsedMs < 3000, "took " + elapsedMs + " ms");
      // grpc-timeout reached the server, which cancelled its side too.
      service.events.await(tag, "cancelled, had deadline", 5000);
    }

    @Test
    void closingServerStreamEarlyCancelsOnServer() throws Exception {
      String tag = UUID.randomUUID().toString();
      try (StreamSource<StreamingOutputCallResponse> source =
          ClientCalls.serverStream(
              tagged(tag),
              STREAMING_OUTPUT_CALL,
              options(),
              Requests.paced(5_000, Requests.sizes(1000, 1)))) {
        assertNotNull(source.next());
        assertNotNull(source.next());
      }
      service.events.await(tag, "cancelled", 5000);
      assertEquals(
          Empty.getDefaultInstance(),
          ClientCalls.blockingUnary(channel, EMPTY_CALL, options(), Empty.getDefaultInstance()));
    }

    @Test
    void cancellingBidiReachesServer() throws Exception {
      String tag = UUID.randomUUID().toString();
      BidiStreamCall<StreamingOutputCallRequest, StreamingOutputCallResponse> call =
          ClientCalls.bidiStream(tagged(tag), FULL_DUPLEX_CALL, options());
      call.send(Requests.streaming(1));
      assertNotNull(call.next());
      call.cancel("test cancels");
      StatusException e = assertThrows(StatusException.class, call::next);
      assertEquals(Status.Code.CANCELLED, e.code());
      service.events.await(tag, "cancelled", 5000);
    }

    Channel tagged(String tag) {
      return ClientInterceptors.intercept(
          channel, new MetadataCapture(new Metadata().add(StrandTestService.TAG_HEADER, tag)));
    }
  }

  static Metadata multiValued() {
    return new Metadata()
        .add(ECHO_ASCII, "first")
        .add(ECHO_ASCII, "second, with comma")
        .add(ECHO_ASCII, "third")
        .addBinary(ECHO_BIN, new byte[] {0, 1, 2, (byte) 0xff})
        .addBinary(ECHO_BIN, new byte[0])
        .addBinary(ECHO_BIN, new byte[] {(byte) 0xfe, 0x2c});
  }

  static void assertMultiValued(Metadata md) {
    assertEquals(List.of("first", "second, with comma", "third"), md.getAll(ECHO_ASCII));
    List<byte[]> bin = md.getAllBinary(ECHO_BIN);
    assertEquals(3, bin.size(), "binary values: " + md);
    assertArrayEquals(new byte[] {0, 1, 2, (byte) 0xff}, bin.get(0));
    assertArrayEquals(new byte[0], bin.get(1));
    assertArrayEquals(new byte[] {(byte) 0xfe, 0x2c}, bin.get(2));
  }

  /** Records what a raw ClientCall delivers, for tests to wait on. */
  static final class RawListener<T> extends ClientCall.Listener<T> {
    final BlockingQueue<T> messages = new LinkedBlockingQueue<>();
    final CompletableFuture<Status> closed = new CompletableFuture<>();
    final CompletableFuture<Metadata> trailers = new CompletableFuture<>();

    @Override
    public void onMessage(T message) {
      messages.add(message);
    }

    @Override
    public void onClose(Status status, Metadata t) {
      trailers.complete(t);
      closed.complete(status);
    }

    T next() throws InterruptedException {
      T m = messages.poll(5, TimeUnit.SECONDS);
      assertNotNull(m, "no message within 5 s; call status: " + closed.getNow(null));
      return m;
    }

    /** Nothing may arrive: the only way to check that is to wait a little and see. */
    void assertNothingMoreFor(long millis) throws InterruptedException {
      T m = messages.poll(millis, TimeUnit.MILLISECONDS);
      assertNull(m, "a message arrived that was not requested");
    }
  }
}
