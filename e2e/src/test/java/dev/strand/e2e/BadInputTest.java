package dev.strand.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.MethodType;
import dev.strand.Status;
import dev.strand.StatusException;
import dev.strand.e2e.RawHttp2Client.GoAwayFrame;
import dev.strand.e2e.RawHttp2Client.Response;
import dev.strand.e2e.RawHttp2Client.RstFrame;
import dev.strand.server.Server;
import dev.strand.server.ServiceDefinition;
import dev.strand.stub.ServerCalls;
import dev.strand.testing.EchoService;
import dev.strand.testing.Utf8Marshaller;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.internal.PlatformDependent;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A Strand server fed malformed and hostile HTTP/2 by {@link RawHttp2Client}. Each test checks the
 * exact answer, then that the server (and, where the error is per stream, the very same connection)
 * still serves: a grpc-java client must get "echo:x" for "x".
 */
@Timeout(30)
class BadInputTest {
  private static final String UNARY = EchoService.NAME + "/Unary";
  private static final String WATCH_SERVICE = "strand.test.Watch";
  private static final dev.strand.MethodDescriptor<String, String> COLLECT =
      dev.strand.MethodDescriptor.of(
          MethodType.CLIENT_STREAMING,
          WATCH_SERVICE + "/Collect",
          Utf8Marshaller.INSTANCE,
          Utf8Marshaller.INSTANCE);
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final int MAX_MESSAGE = 4 * 1024 * 1024;

  private static final io.grpc.MethodDescriptor.Marshaller<String> GRPC_UTF8 =
      new io.grpc.MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(String value) {
          return new ByteArrayInputStream(value.getBytes(UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
          try {
            return new String(stream.readAllBytes(), UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };
  private static final io.grpc.MethodDescriptor<String, String> GRPC_UNARY =
      io.grpc.MethodDescriptor.<String, String>newBuilder()
          .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
          .setFullMethodName(UNARY)
          .setRequestMarshaller(GRPC_UTF8)
          .setResponseMarshaller(GRPC_UTF8)
          .build();

  /** What the Watch service's client-streaming handlers saw. */
  private final Semaphore handlersStarted = new Semaphore(0);

  private final BlockingQueue<String> messagesSeen = new LinkedBlockingQueue<>();
  private final BlockingQueue<Status> iterationFailures = new LinkedBlockingQueue<>();

  private Server server;
  private final Deque<AutoCloseable> toClose = new ArrayDeque<>();

  @BeforeEach
  void startServer() throws IOException {
    ServiceDefinition watch =
        ServiceDefinition.builder(WATCH_SERVICE)
            .method(
                COLLECT,
                ServerCalls.clientStreaming(
                    requests -> {
                      handlersStarted.release();
                      List<String> all = new ArrayList<>();
                      try {
                        for (String s : requests) {
                          messagesSeen.add(s);
                          all.add(s);
                        }
                      } catch (StatusException e) {
                        iterationFailures.add(e.status());
                        throw e;
                      }
                      return String.join(",", all);
                    }))
            .build();
    // gRPC's own answers to what is not gRPC: with strand-web present they would be its protocols'.
    server =
        GrpcOnly.start(
            Server.builder()
                .address("127.0.0.1", 0)
                // Above the default per-connection share (16 on a 2-core JDK 17 pool): one test
                // holds 50 handlers of one connection blocked at once.
                .maxBlockingCallsPerConnection(64)
                .service(EchoService.definition())
                .service(watch));
  }

  @AfterEach
  void stopEverything() throws Exception {
    while (!toClose.isEmpty()) {
      toClose.pop().close();
    }
    if (server != null) {
      server.close();
    }
  }

  private RawHttp2Client connect() throws InterruptedException {
    RawHttp2Client client = RawHttp2Client.connect(server.port());
    toClose.push(client);
    return client;
  }

  // ---------------------------------------------------------------- framing of messages

  @Test
  void truncatedMessage_internalNamingTheTruncation() throws Exception {
    RawHttp2Client client = connect();
    int id = client.newStreamId();
    client.writeRequest(
        id,
        RawHttp2Client.grpcRequestHeaders(UNARY),
        RawHttp2Client.grpcFrame(0, 100, "0123456789".getBytes(UTF_8)),
        true);

    Response r = client.awaitResponse(id, WAIT);
    assertEquals("200", r.httpStatus(), r::toString);
    assertEquals(13, r.grpcStatus(), r::toString);
    assertTrue(r.grpcMessage().contains("ended in the middle of a message"), r::toString);
    assertEquals(List.of(), r.messagesUtf8(), "no response message for a broken request");

    assertConnectionStillServes(client);
    assertServerStillServes();
  }

  @ParameterizedTest(name = "declared length {0}")
  @ValueSource(longs = {0x7FFFFFF0L, 0xFFFFFFFFL, MAX_MESSAGE + 1L})
  void hugeLengthPrefix_resourceExhaustedPromptlyWithoutAllocating(long declared) throws Exception {
    RawHttp2Client client = connect();
    long directBefore = PlatformDependent.usedDirectMemory();
    long start = System.nanoTime();
    int id = client.newStreamId();
    // Only the prefix and a few bytes; the stream stays open, as if 2 GB were on their way.
    client.writeRequest(
        id,
        RawHttp2Client.grpcRequestHeaders(UNARY),
        RawHttp2Client.grpcFrame(0, declared, "abc".getBytes(UTF_8)),
        false);

    Response r = client.awaitResponse(id, WAIT);
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertEquals(8, r.grpcStatus(), r::toString);
    assertTrue(r.isTrailersOnly(), r::toString);
    assertTrue(r.grpcMessage().contains(Long.toString(declared)), r::toString);
    assertTrue(r.grpcMessage().contains(Integer.toString(MAX_MESSAGE)), r::toString);
    assertTrue(elapsedMs < 3000, "answer took " + elapsedMs + " ms");
    // The client never ended its side: the server frees the stream with RST_STREAM(NO_ERROR).
    assertNotNull(
        client.awaitFrame(
            f ->
                f instanceof RstFrame rst
                    && rst.streamId() == id
                    && rst.errorCode() == Http2Error.NO_ERROR.code(),
            WAIT),
        () -> "no RST_STREAM(NO_ERROR): " + client.frames());
    long directAfter = PlatformDependent.usedDirectMemory();
    if (directBefore >= 0 && directAfter >= 0) {
      assertTrue(
          directAfter - directBefore < 64L * 1024 * 1024,
          "direct memory grew by " + (directAfter - directBefore) + " bytes");
    }

    assertConnectionStillServes(client);
    assertServerStillServes();
  }

  @Test
  void messageOverLimit_actuallySentByRawClient_resourceExhaustedNamingSizes() throws Exception {
    RawHttp2Client client = connect();
    int id = client.newStreamId();
    int size = 5 * 1024 * 1024;
    byte[] body = new byte[size];
    java.util.Arrays.fill(body, (byte) 'a');
    client.writeHeaders(id, RawHttp2Client.grpcRequestHeaders(UNARY), false);
    long sent =
        client.sendDataFlowControlled(
            id, RawHttp2Client.grpcFrame(0, size, body), true, Duration.ofSeconds(10));
    assertTrue(sent > 0, "nothing was sent");

    Response r = client.awaitResponse(id, WAIT);
    assertEquals(8, r.grpcStatus(), r::toString);
    assertTrue(r.grpcMessage().contains(Integer.toString(size)), r::toString);
    assertTrue(r.grpcMessage().contains(Integer.toString(MAX_MESSAGE)), r::toString);
    assertNull(
        client.awaitFrame(f -> f instanceof GoAwayFrame, Duration.ZERO),
        () -> "connection torn down: " + client.frames());

    assertConnectionStillServes(client);
    assertServerStillServes();
  }

  @Test
  void messageOverLimit_fromGrpcJava_resourceExhaustedNamingSizes() throws Exception {
    int size = 5 * 1024 * 1024;
    String big = "a".repeat(size);
    ManagedChannel channel = grpcJavaChannel();
    try {
      StatusRuntimeException e =
          assertThrows(
              StatusRuntimeException.class,
              () ->
                  io.grpc.stub.ClientCalls.blockingUnaryCall(
                      channel,
                      GRPC_UNARY,
                      io.grpc.CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
                      big));
      assertEquals(io.grpc.Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode(), e::toString);
      assertTrue(e.getStatus().getDescription().contains(Integer.toString(size)), e::toString);
      assertTrue(
          e.getStatus().getDescription().contains(Integer.toString(MAX_MESSAGE)), e::toString);
      // The same channel (and connection) keeps working.
      assertEquals(
          "echo:x",
          io.grpc.stub.ClientCalls.blockingUnaryCall(
              channel,
              GRPC_UNARY,
              io.grpc.CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS),
              "x"));
    } finally {
      channel.shutdownNow();
      channel.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void compressedFlagWithoutGrpcEncoding_internal() throws Exception {
    RawHttp2Client client = connect();
    int id = client.newStreamId();
    client.writeRequest(
        id,
        RawHttp2Client.grpcRequestHeaders(UNARY),
        RawHttp2Client.grpcFrame(1, 3, "abc".getBytes(UTF_8)),
        true);

    Response r = client.awaitResponse(id, WAIT);
    assertEquals(13, r.grpcStatus(), r::toString);
    assertTrue(r.grpcMessage().contains("compressed"), r::toString);

    assertConnectionStillServes(client);
    assertServerStillServes();
  }

  @Test
  void unknownFlagsByte0x80_internal() throws Exception {
    RawHttp2Client client = connect();
    int id = client.newStreamId();
    client.writeRequest(
        id,
        RawHttp2Client.grpcRequestHeaders(UNARY),
        RawHttp2Client.grpcFrame(0x80, 3, "abc".getBytes(UTF_8)),
        true);

    Response r = client.awaitResponse(id, WAIT);
    assertEquals(13, r.grpcStatus(), r::toString);
    assertTrue(r.grpcMessage().contains("0x80"), r::toString);

    assertConnectionStillServes(client);
    assertServerStillServes();
  }

  @Test
  void corruptGzipBody_internal() throws Exception {
    RawHttp2Client client = connect();
    int id = client.newStreamId();
    Http2Headers headers = RawHttp2Client.grpcRequestHeaders(UNARY).add("grpc-encoding", "gzip");
    byte[] notGzip = "this is not gzip at all".getBytes(UTF_8);
    client.writeRequest(id, headers, RawHttp2Client.grpcFrame(1, notGzip.length, notGzip), true);

    Response r = client.awaitResponse(id, WAIT);
    assertEquals(13, r.grpcStatus(), r::toString);

    assertConnectionStillServes(client);
    assertServerStillServes();
  }

  @Test
  void validGzipBody_isAccepted() throws Exception {
    // The positive control for the compression cases above.
    RawHttp2Client client = connect();
    int id = client.newStreamId();
    Http2Headers headers = RawHttp2Client.grpcRequestHeaders(UNARY).add("grpc-encoding", "gzip");
    byte[] gz = gzip("zipped".getBytes(UTF_8));
    client.writeRequest(id, headers, RawHttp2Client.grpcFrame(1, gz.length, gz), true);

    Response r = client.awaitResponse(id, WAIT);
    assertEquals(0, r.grpcStatus(), r::toString);
    assertEquals(List.of("echo:zipped"), r.messagesUtf8(), r::toString);
  }

  @Test
  void unsupportedGrpcEncoding_unimplementedWithAcceptEncoding() throws Exception {
    RawHttp2Client client = connect();
    int id = client.newStreamId();
    Http2Headers headers = RawHttp2Client.grpcRequestHeaders(UNARY).add("grpc-encoding", "snappy");
    // Some "snappy" bytes flagged compressed.
    client.writeRequest(
        id, headers, RawHttp2Client.grpcFrame(1, 6, new byte[] {5, 16, 104, 101, 108, 108}), true);

    Response r = client.awaitResponse(id, WAIT);
    assertEquals("200", r.httpStatus(), r::toString);
    assertEquals(12, r.grpcStatus(), r::toString);
    CharSequence accept = r.trailers().get("grpc-accept-encoding");
    assertNotNull(accept, r::toString);
    assertTrue(accept.toString().contains("gzip"), r::toString);
    assertFalse(accept.toString().contains("snappy"), r::toString);

    assertConnectionStillServes(client);
    assertServerStillServes();
  }

  @Test
  void secondMessageOnUnaryCall_unimplemented() throws Exception {
    RawHttp2Client client = connect();
    int id = client.newStreamId();
    byte[] two = concat(RawHttp2Client.grpcMessage("a"), RawHttp2Client.grpcMessage("b"));
    client.writeRequest(id, RawHttp2Client.grpcRequestHeaders(UNARY), two, true);

    Response r = client.awaitResponse(id, WAIT);
    // statuscodes.md: a request cardinality violation is UNIMPLEMENTED.
    assertEquals(12, r.grpcStatus(), r::toString);
    assertEquals(List.of(), r.messagesUtf8(), r::toString);

    assertConnectionStillServes(client);
    assertServerStillServes();
  }

  @Test
  void unaryCallWithoutMessage_unimplemented() throws Exception {
    RawHttp2Client client = connect();
    int id = client.newStreamId();
    client.writeHeaders(id, RawHttp2Client.grpcRequestHeaders(UNARY), true);

    Response r = client.awaitResponse(id, WAIT);
    assertEquals(12, r.grpcStatus(), r::toString);

    assertConnectionStillServes(client);
    assertServerStillServes();
  }

  // ---------------------------------------------------------------- headers

  @ParameterizedTest(name = "content-type {0}")
  @NullSource
  @ValueSource(strings = {"text/plain", "application/json", "application/grpcx"})
  void nonGrpcContentType_http415(String contentType) throws Exception {
    RawHttp2Client client = connect();
    int id = client.newStreamId();
    Http2Headers headers = RawHttp2Client.grpcRequestHeaders(UNARY);
    headers.remove("content-type");
    if (contentType != null) {
      headers.add("content-type", contentType);
    }
    client.writeRequest(id, headers, RawHttp2Client.grpcMessage("x"), true);

    Response r = client.awaitResponse(id, WAIT);
    assertEquals("415", r.httpStatus(), r::toString);
    assertTrue(r.endStream(), r::toString);
    assertEquals(List.of(), r.messagesUtf8(), "the handler must not have run");

    assertConnectionStillServes(client);
    assertServerStillServes();
  }

  @ParameterizedTest(name = "path {0}")
  @ValueSource(
      strings = {
        "/strand.test.Echo/NoSuchMethod",
        "/no.such.Service/Unary",
        "/strand.test.Echo",
        "/",
        "/strand.test.echo/Unary"
      })
  void unknownPath_unimplementedTrailersOnly(String path) throws Exception {
    RawHttp2Client client = connect();
    int id = client.newStreamId();
    Http2Headers headers = RawHttp2Client.grpcRequestHeaders(UNARY).path(path);
    client.writeRequest(id, headers, RawHttp2Client.grpcMessage("x"), true);

    Response r = client.awaitResponse(id, WAIT);
    assertTrue(r.isTrailersOnly(), r::toString);
    assertEquals("200", r.httpStatus(), r::toString);
    assertEquals("application/grpc", String.valueOf(r.headers().get("content-type")), r::toString);
    assertEquals(12, r.grpcStatus(), r::toString);

    assertConnectionStillServes(client);
    assertServerStillServes();
  }

  @ParameterizedTest(name = ":method {0}")
  @ValueSource(strings = {"GET", "PUT"})
  void nonPostMethod_http405(String method) throws Exception {
    RawHttp2Client client = connect();
    int id = client.newStreamId();
    Http2Headers headers = RawHttp2Client.grpcRequestHeaders(UNARY).method(method);
    client.writeHeaders(id, headers, true);

    Response r = client.awaitResponse(id, WAIT);
    assertEquals("405", r.httpStatus(), r::toString);
    assertTrue(r.endStream(), r::toString);

    assertConnectionStillServes(client);
    assertServerStillServes();
  }

  @ParameterizedTest(name = "grpc-timeout {0}")
  @ValueSource(strings = {"abc", "123456789S", "10", "S", "-5S", "10x", "1.5S"})
  void malformedGrpcTimeout_internal(String timeout) throws Exception {
    RawHttp2Client client = connect();
    int id = client.newStreamId();
    Http2Headers headers = RawHttp2Client.grpcRequestHeaders(UNARY).add("grpc-timeout", timeout);
    client.writeRequest(id, headers, RawHttp2Client.grpcMessage("x"), true);

    Response r = client.awaitResponse(id, WAIT);
    assertEquals("200", r.httpStatus(), r::toString);
    assertEquals(13, r.grpcStatus(), r::toString);
    assertTrue(r.grpcMessage().contains("grpc-timeout"), r::toString);

    assertConnectionStillServes(client);
    assertServerStillServes();
  }

  @Test
  void headerListOverLimit_http431AndConnectionSurvives() throws Exception {
    RawHttp2Client client = connect();
    int id = client.newStreamId();
    // 10 KiB of metadata: over the 8 KiB limit, under the point where Netty drops the connection.
    Http2Headers headers =
        RawHttp2Client.grpcRequestHeaders(UNARY).add("x-big", "b".repeat(10 * 1024));
    client.writeRequest(id, headers, RawHttp2Client.grpcMessage("x"), true);

    Response r = client.awaitResponse(id, WAIT);
    assertEquals("431", r.httpStatus(), r::toString);

    assertConnectionStillServes(client);
    assertServerStillServes();
  }

  /**
   * Header blocks HTTP/2 calls malformed (RFC 9113 8.2 and 8.3): each is a stream error, RST_STREAM
   * PROTOCOL_ERROR, with no handler started; the connection and its HPACK state carry on.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "uppercase name",
        "name with a space",
        "CR LF in a value",
        "NUL in a value",
        "value with leading space",
        "two :path",
        "unknown pseudo-header",
        "connection-specific header",
        "empty :authority"
      })
  void malformedHeaderBlock_rstProtocolErrorAndConnectionSurvives(String kind) throws Exception {
    RawHttp2Client client = connect();
    int id = client.newStreamId();
    Http2Headers headers = new io.netty.handler.codec.http2.DefaultHttp2Headers(false);
    if (kind.equals("unknown pseudo-header")) {
      headers.add(":bogus", "x");
    }
    // To the client-streaming method whose handler counts its starts.
    headers.add(RawHttp2Client.grpcRequestHeaders(COLLECT.fullName()));
    switch (kind) {
      case "uppercase name" -> headers.add("X-Upper", "v");
      case "name with a space" -> headers.add("x bad", "v");
      case "CR LF in a value" -> headers.add("x-value", "a\r\nx-injected: b");
      case "NUL in a value" -> headers.add("x-value", "a\0b");
      case "value with leading space" -> headers.add("x-value", " padded");
      case "two :path" -> headers.add(":path", "/" + COLLECT.fullName());
      case "connection-specific header" -> headers.add("connection", "close");
      case "empty :authority" -> headers.set(":authority", "");
      default -> {}
    }
    client.writeRequest(id, headers, RawHttp2Client.grpcMessage("x"), true);

    RawHttp2Client.Frame reset =
        client.awaitFrame(f -> f instanceof RstFrame r && r.streamId() == id, WAIT);
    assertNotNull(reset, () -> "no RST_STREAM: " + client.frames());
    assertEquals(Http2Error.PROTOCOL_ERROR.code(), ((RstFrame) reset).errorCode());
    assertFalse(handlersStarted.tryAcquire(), "a handler ran for a malformed request");

    assertConnectionStillServes(client);
    assertServerStillServes();
  }

  /**
   * A frame other than HEADERS that fails as a stream error on an id the client never used
   * (WINDOW_UPDATE with increment 0, RFC 9113 6.9) must not open that stream: if it did, the
   * client's later streams with lower ids would be a connection error.
   */
  @Test
  void zeroWindowUpdateOnUnusedStream_doesNotOpenIt() throws Exception {
    RawHttp2Client client = connect();
    // WINDOW_UPDATE, length 4, stream 101, increment 0.
    client.writeRaw(new byte[] {0, 0, 4, 0x8, 0, 0, 0, 0, 101, 0, 0, 0, 0});

    RawHttp2Client.Frame reset =
        client.awaitFrame(f -> f instanceof RstFrame r && r.streamId() == 101, WAIT);
    assertNotNull(reset, () -> "no RST_STREAM: " + client.frames());
    assertEquals(Http2Error.PROTOCOL_ERROR.code(), ((RstFrame) reset).errorCode());
    assertConnectionStillServes(client); // On stream 1 or 3: below 101.
    assertServerStillServes();
  }

  // ---------------------------------------------------------------- connection-level garbage

  @Test
  void garbageFrameAfterPreface_goAwayProtocolErrorAndServerHealthy() throws Exception {
    RawHttp2Client client = connect();
    // A DATA frame on stream 0: a connection error (RFC 9113 6.1).
    client.writeRaw(new byte[] {0, 0, 1, 0x0, 0x0, 0, 0, 0, 0, 0x42});

    RawHttp2Client.Frame goAway = client.awaitFrame(f -> f instanceof GoAwayFrame, WAIT);
    assertNotNull(goAway, () -> "no GOAWAY: " + client.frames());
    assertEquals(Http2Error.PROTOCOL_ERROR.code(), ((GoAwayFrame) goAway).errorCode());
    assertTrue(client.awaitClosed(WAIT), "server kept the broken connection open");
    assertServerStillServes();
  }

  @Test
  void notHttpAtAll_connectionClosedAndServerHealthy() throws Exception {
    // Neither the HTTP/2 preface nor an HTTP/1.1 request line (the start of a TLS ClientHello, as
    // a client that wrongly uses TLS sends) on the cleartext port, straight over a socket.
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(5000);
      socket
          .getOutputStream()
          .write(
              "\u0016\u0003\u0001 not HTTP\r\n\r\n"
                  .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      byte[] buf = new byte[4096];
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      // The server may answer (400); either way it must close the connection.
      int n;
      do {
        try {
          n = in.read(buf);
        } catch (java.net.SocketException reset) {
          n = -1; // closed with a TCP RST: closed all the same
        }
      } while (n >= 0 && System.nanoTime() < deadline);
      assertEquals(-1, n, "server did not close a non-HTTP connection");
    }
    assertServerStillServes();
  }

  /**
   * An HTTP/1.1 request on the cleartext port is served as HTTP/1.1 (the web protocols use it):
   * what no protocol takes gets gRPC's HTTP error, and gRPC itself is refused with 505.
   */
  @Test
  void http11Request_answeredWithAnHttpError() throws Exception {
    java.net.http.HttpClient http1 =
        java.net.http.HttpClient.newBuilder()
            .version(java.net.http.HttpClient.Version.HTTP_1_1)
            .build();
    java.net.URI uri = java.net.URI.create("http://127.0.0.1:" + server.port() + "/" + UNARY);
    var get =
        http1.send(
            java.net.http.HttpRequest.newBuilder(uri).timeout(WAIT).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(405, get.statusCode(), get::toString);
    var grpc =
        http1.send(
            java.net.http.HttpRequest.newBuilder(uri)
                .header("content-type", "application/grpc")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(new byte[5]))
                .timeout(WAIT)
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(505, grpc.statusCode(), grpc::toString);
    assertTrue(grpc.body().contains("gRPC requires HTTP/2"), grpc::body);
    assertServerStillServes();
  }

  // ---------------------------------------------------------------- cancellation

  @Test
  void tcpResetMidStream_handlerSeesCancelled() throws Exception {
    RawHttp2Client client = connect();
    int id = client.newStreamId();
    client.writeRequest(
        id,
        RawHttp2Client.grpcRequestHeaders(COLLECT.fullName()),
        RawHttp2Client.grpcMessage("first"),
        false);
    assertEquals("first", messagesSeen.poll(5, TimeUnit.SECONDS), "handler never got a message");

    client.resetConnection();

    Status failure = iterationFailures.poll(5, TimeUnit.SECONDS);
    assertNotNull(failure, "the handler's iteration did not fail within 5 s of the TCP reset");
    assertEquals(Status.Code.CANCELLED, failure.code(), failure::toString);
    assertServerStillServes();
  }

  @Test
  void rstStreamCancelMidCall_handlerSeesCancelled() throws Exception {
    RawHttp2Client client = connect();
    int id = client.newStreamId();
    client.writeRequest(
        id,
        RawHttp2Client.grpcRequestHeaders(COLLECT.fullName()),
        RawHttp2Client.grpcMessage("first"),
        false);
    assertEquals("first", messagesSeen.poll(5, TimeUnit.SECONDS), "handler never got a message");

    client.writeRstStream(id, Http2Error.CANCEL);

    Status failure = iterationFailures.poll(5, TimeUnit.SECONDS);
    assertNotNull(failure, "the handler's iteration did not fail within 5 s of RST_STREAM");
    assertEquals(Status.Code.CANCELLED, failure.code(), failure::toString);
    // A cancelled stream gets no trailers afterwards.
    assertNull(
        client.awaitFrame(
            f -> f.streamId() == id && f instanceof RawHttp2Client.HeadersFrame,
            Duration.ofMillis(200)),
        () -> "server answered a reset stream: " + client.frames());

    assertConnectionStillServes(client);
    assertServerStillServes();
  }

  @Test
  void fiftyIdleStreamsThenReset_allCancelledAndServerHealthy() throws Exception {
    RawHttp2Client client = connect();
    int n = 50;
    int[] ids = new int[n];
    for (int i = 0; i < n; i++) {
      ids[i] = client.newStreamId();
      client.writeHeaders(ids[i], RawHttp2Client.grpcRequestHeaders(COLLECT.fullName()), false);
    }
    assertTrue(
        handlersStarted.tryAcquire(n, 10, TimeUnit.SECONDS),
        "only " + handlersStarted.availablePermits() + " of " + n + " handlers started");
    for (int id : ids) {
      client.writeRstStream(id, Http2Error.CANCEL);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    for (int i = 0; i < n; i++) {
      Status s = iterationFailures.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      assertNotNull(s, "only " + i + " of " + n + " handlers saw the cancellation");
      assertEquals(Status.Code.CANCELLED, s.code(), s::toString);
    }
    assertNull(
        client.awaitFrame(f -> f instanceof GoAwayFrame, Duration.ZERO),
        () -> "connection torn down: " + client.frames());

    assertConnectionStillServes(client);
    assertServerStillServes();
  }

  // ---------------------------------------------------------------- helpers

  /** A valid unary call on the given raw connection works: the earlier error was per stream. */
  private static void assertConnectionStillServes(RawHttp2Client client) throws Exception {
    int id = client.newStreamId();
    client.writeRequest(
        id, RawHttp2Client.grpcRequestHeaders(UNARY), RawHttp2Client.grpcMessage("y"), true);
    Response r = client.awaitResponse(id, WAIT);
    assertEquals(0, r.grpcStatus(), () -> "connection no longer serves: " + r);
    assertEquals(List.of("echo:y"), r.messagesUtf8(), r::toString);
  }

  /** grpc-java, on a fresh connection, gets "echo:x" for "x". */
  private void assertServerStillServes() throws InterruptedException {
    ManagedChannel channel = grpcJavaChannel();
    try {
      assertEquals(
          "echo:x",
          io.grpc.stub.ClientCalls.blockingUnaryCall(
              channel,
              GRPC_UNARY,
              io.grpc.CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS),
              "x"));
    } finally {
      channel.shutdownNow();
      channel.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private ManagedChannel grpcJavaChannel() {
    return NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
