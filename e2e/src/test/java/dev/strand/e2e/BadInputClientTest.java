package dev.strand.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.Status;
import dev.strand.StatusException;
import dev.strand.client.CallOptions;
import dev.strand.client.Channel;
import dev.strand.client.ManagedChannel;
import dev.strand.stub.ClientCalls;
import dev.strand.testing.EchoService;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Strand client against servers that are not (good) gRPC servers, played by {@link
 * RawHttp2Server}: proxies answering with HTTP errors, HTML pages, missing statuses, broken framing
 * and dropped connections. Every outcome is an exact status code, within a deadline.
 */
@Timeout(30)
class BadInputClientTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  private RawHttp2Server server;
  private ManagedChannel channel;

  @AfterEach
  void stopEverything() throws Exception {
    if (channel != null) {
      channel.shutdownNow();
      assertTrue(channel.awaitTermination(WAIT), "channel did not terminate");
    }
    if (server != null) {
      server.close();
    }
  }

  /** Starts the scripted server and makes one unary call that must fail; returns its status. */
  private Status failingCall(RawHttp2Server.Responder responder) throws Exception {
    server = RawHttp2Server.start(responder);
    channel = Channel.to("127.0.0.1", server.port()).plaintext().build();
    StatusException e =
        assertThrows(
            StatusException.class,
            () ->
                ClientCalls.blockingUnary(
                    channel, EchoService.UNARY, CallOptions.DEFAULT.withTimeout(WAIT), "x"));
    assertNull(server.responderError(), "the test's responder failed");
    return e.status();
  }

  private String succeedingCall(RawHttp2Server.Responder responder) throws Exception {
    server = RawHttp2Server.start(responder);
    channel = Channel.to("127.0.0.1", server.port()).plaintext().build();
    String result =
        ClientCalls.blockingUnary(
            channel, EchoService.UNARY, CallOptions.DEFAULT.withTimeout(WAIT), "x");
    assertNull(server.responderError(), "the test's responder failed");
    return result;
  }

  // ---------------------------------------------------------------- HTTP status mapping

  static Stream<Arguments> httpStatuses() {
    return Stream.of(
        Arguments.of(400, Status.Code.INTERNAL),
        Arguments.of(401, Status.Code.UNAUTHENTICATED),
        Arguments.of(403, Status.Code.PERMISSION_DENIED),
        Arguments.of(404, Status.Code.UNIMPLEMENTED),
        Arguments.of(429, Status.Code.UNAVAILABLE),
        Arguments.of(431, Status.Code.INTERNAL),
        Arguments.of(500, Status.Code.UNKNOWN),
        Arguments.of(502, Status.Code.UNAVAILABLE),
        Arguments.of(503, Status.Code.UNAVAILABLE),
        Arguments.of(504, Status.Code.UNAVAILABLE));
  }

  /** A proxy's error page: headers, then an HTML body, no grpc-status anywhere. */
  @ParameterizedTest(name = "HTTP {0} with a body -> {1}")
  @MethodSource("httpStatuses")
  void httpErrorWithBody_mapsPerSpec(int httpStatus, Status.Code expected) throws Exception {
    Status status =
        failingCall(
            RawHttp2Server.http(
                httpStatus, "text/html", "<html><body>proxy says no</body></html>"));
    assertEquals(expected, status.code(), status::toString);
    assertTrue(status.description().contains(Integer.toString(httpStatus)), status::toString);
  }

  /** The same, as a single header block with END_STREAM (the Trailers-Only shape). */
  @ParameterizedTest(name = "HTTP {0} headers only -> {1}")
  @MethodSource("httpStatuses")
  void httpErrorHeadersOnly_mapsPerSpec(int httpStatus, Status.Code expected) throws Exception {
    Status status = failingCall(RawHttp2Server.http(httpStatus, "text/plain", null));
    assertEquals(expected, status.code(), status::toString);
  }

  @Test
  void http200WithHtml_unknown() throws Exception {
    Status status =
        failingCall(RawHttp2Server.http(200, "text/html", "<html>hello, browser</html>"));
    assertEquals(Status.Code.UNKNOWN, status.code(), status::toString);
  }

  @Test
  void http200WithHtmlHeadersOnly_unknown() throws Exception {
    Status status = failingCall(RawHttp2Server.http(200, "text/html", null));
    assertEquals(Status.Code.UNKNOWN, status.code(), status::toString);
  }

  @Test
  void http200WithoutContentType_unknown() throws Exception {
    Status status = failingCall(RawHttp2Server.http(200, null, "body"));
    assertEquals(Status.Code.UNKNOWN, status.code(), status::toString);
  }

  // ---------------------------------------------------------------- gRPC status problems

  @Test
  void trailersWithoutGrpcStatus_unknown() throws Exception {
    Http2Headers trailers = new DefaultHttp2Headers().add("x-something", "else");
    Status status = failingCall(RawHttp2Server.grpc(RawHttp2Client.grpcMessage("hello"), trailers));
    assertEquals(Status.Code.UNKNOWN, status.code(), status::toString);
  }

  @Test
  void trailersOnlyWithoutGrpcStatus_unknown() throws Exception {
    Status status = failingCall(ex -> ex.headers(RawHttp2Server.grpcResponseHeaders(), true));
    assertEquals(Status.Code.UNKNOWN, status.code(), status::toString);
  }

  @ParameterizedTest(name = "grpc-status ''{0}''")
  @CsvSource({"abc", "-1", "99", "''", "1.0"})
  void malformedGrpcStatus_unknown(String grpcStatus) throws Exception {
    Http2Headers trailers = new DefaultHttp2Headers().add("grpc-status", grpcStatus);
    Status status = failingCall(RawHttp2Server.grpc(null, trailers));
    assertEquals(Status.Code.UNKNOWN, status.code(), status::toString);
  }

  @Test
  void okStatusButNoMessageForUnary_fails() throws Exception {
    Http2Headers trailers = new DefaultHttp2Headers().add("grpc-status", "0");
    Status status = failingCall(RawHttp2Server.grpc(null, trailers));
    // statuscodes.md: a response cardinality violation is UNIMPLEMENTED.
    assertEquals(Status.Code.UNIMPLEMENTED, status.code(), status::toString);
  }

  @ParameterizedTest(name = "grpc-message ''{0}''")
  @CsvSource({
    "'%zz%C3%A9', '%zzé'",
    "'100%', '100%'",
    "'%4', '%4'",
    "'a%2', 'a%2'",
    "'%%41', '%A'",
    "'%41%4g', 'A%4g'",
    "'plain text', 'plain text'"
  })
  void brokenPercentEncodingInGrpcMessage_decodesWithoutError(String sent, String expected)
      throws Exception {
    Http2Headers trailers =
        new DefaultHttp2Headers().add("grpc-status", "9").add("grpc-message", sent);
    Status status = failingCall(RawHttp2Server.grpc(null, trailers));
    assertEquals(Status.Code.FAILED_PRECONDITION, status.code(), status::toString);
    assertEquals(expected, status.description());
  }

  @Test
  void invalidUtf8AfterPercentDecoding_keepsTheRest() throws Exception {
    Http2Headers trailers =
        new DefaultHttp2Headers().add("grpc-status", "9").add("grpc-message", "bad %C3 byte");
    Status status = failingCall(RawHttp2Server.grpc(null, trailers));
    assertEquals(Status.Code.FAILED_PRECONDITION, status.code(), status::toString);
    assertNotNull(status.description());
    assertTrue(status.description().startsWith("bad "), status::toString);
    assertTrue(status.description().endsWith(" byte"), status::toString);
  }

  // ---------------------------------------------------------------- framing problems

  @Test
  void responsePrefixClaiming2GB_resourceExhaustedAndStreamReset() throws Exception {
    byte[] prefix = RawHttp2Client.grpcFrame(0, 0x7FFFFFF0L, "partial".getBytes(UTF_8));
    long start = System.nanoTime();
    Status status =
        failingCall(
            ex -> ex.headers(RawHttp2Server.grpcResponseHeaders(), false).data(prefix, false));
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, status.code(), status::toString);
    assertTrue(status.description().contains(Long.toString(0x7FFFFFF0L)), status::toString);
    assertTrue(elapsedMs < 3000, "took " + elapsedMs + " ms");
    // The client frees the stream it gave up on.
    RawHttp2Server.Reset reset = server.awaitReset(WAIT);
    assertNotNull(reset, "client did not reset the stream");
    assertEquals(Http2Error.CANCEL.code(), reset.errorCode());
  }

  @Test
  void responseTruncatedByEndStream_internal() throws Exception {
    // DATA with END_STREAM in the middle of a message, no trailers.
    byte[] truncated = RawHttp2Client.grpcFrame(0, 100, "only ten b".getBytes(UTF_8));
    Status status =
        failingCall(
            ex -> ex.headers(RawHttp2Server.grpcResponseHeaders(), false).data(truncated, true));
    assertEquals(Status.Code.INTERNAL, status.code(), status::toString);
  }

  @Test
  void responseWithUnknownFlags_internal() throws Exception {
    Http2Headers ok = new DefaultHttp2Headers().add("grpc-status", "0");
    Status status =
        failingCall(
            RawHttp2Server.grpc(RawHttp2Client.grpcFrame(0x80, 2, "hi".getBytes(UTF_8)), ok));
    assertEquals(Status.Code.INTERNAL, status.code(), status::toString);
  }

  @Test
  void serverClosesConnectionMidResponse_unavailable() throws Exception {
    byte[] half = RawHttp2Client.grpcFrame(0, 100, "0123456789".getBytes(UTF_8));
    Status status =
        failingCall(
            ex -> {
              ex.headers(RawHttp2Server.grpcResponseHeaders(), false).data(half, false);
              ex.closeConnection();
            });
    assertEquals(Status.Code.UNAVAILABLE, status.code(), status::toString);
  }

  @Test
  void serverResetsConnectionMidResponse_unavailable() throws Exception {
    byte[] half = RawHttp2Client.grpcFrame(0, 100, "0123456789".getBytes(UTF_8));
    Status status =
        failingCall(
            ex -> {
              ex.headers(RawHttp2Server.grpcResponseHeaders(), false).data(half, false);
              ex.resetConnection();
            });
    assertEquals(Status.Code.UNAVAILABLE, status.code(), status::toString);
  }

  @Test
  void serverClosesConnectionBeforeAnswering_unavailable() throws Exception {
    Status status = failingCall(RawHttp2Server.Exchange::closeConnection);
    assertEquals(Status.Code.UNAVAILABLE, status.code(), status::toString);
  }

  @ParameterizedTest(name = "RST_STREAM {0} -> {1}")
  @CsvSource({
    "NO_ERROR, INTERNAL",
    "PROTOCOL_ERROR, INTERNAL",
    "INTERNAL_ERROR, INTERNAL",
    "REFUSED_STREAM, UNAVAILABLE",
    "CANCEL, CANCELLED",
    "ENHANCE_YOUR_CALM, RESOURCE_EXHAUSTED",
    "INADEQUATE_SECURITY, PERMISSION_DENIED"
  })
  void serverResetsStream_mapsPerSpec(Http2Error error, Status.Code expected) throws Exception {
    Status status =
        failingCall(
            ex -> ex.headers(RawHttp2Server.grpcResponseHeaders(), false).resetStream(error));
    assertEquals(expected, status.code(), status::toString);
  }

  // ---------------------------------------------------------------- positive controls

  @Test
  void wellFormedResponse_ok() throws Exception {
    Http2Headers ok = new DefaultHttp2Headers().add("grpc-status", "0");
    assertEquals(
        "hello", succeedingCall(RawHttp2Server.grpc(RawHttp2Client.grpcMessage("hello"), ok)));
  }

  /** http-grpc-status-mapping.md: a 1xx header block is skipped and the next one read. */
  @Test
  void informationalHeadersBeforeResponse_skipped() throws Exception {
    Http2Headers ok = new DefaultHttp2Headers().add("grpc-status", "0");
    assertEquals(
        "hello",
        succeedingCall(
            ex -> {
              ex.headers(new DefaultHttp2Headers().status("100"), false);
              RawHttp2Server.grpc(RawHttp2Client.grpcMessage("hello"), ok).respond(ex);
            }));
  }
}
