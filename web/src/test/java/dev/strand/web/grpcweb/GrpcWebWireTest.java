package dev.strand.web.grpcweb;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.web.grpcweb.H2cClient.Response;
import dev.strand.web.grpcweb.WebFrames.Frame;
import io.grpc.testing.integration.Messages.Payload;
import io.grpc.testing.integration.Messages.ResponseParameters;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.SimpleResponse;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * gRPC-Web on the wire, byte for byte, from a bare HTTP/2 client: text mode both ways, the trailer
 * frame, Trailers-Only answers, the server's deadline, and bad input, each answered clearly while
 * the connection and the server carry on.
 */
class GrpcWebWireTest {
  private static final String UNARY = "grpc.testing.TestService/UnaryCall";
  private static final String STREAMING = "grpc.testing.TestService/StreamingOutputCall";
  private static final String TEXT = "application/grpc-web-text";
  private static final String BINARY = "application/grpc-web+proto";

  private WebTestServer server;
  private H2cClient client;

  @BeforeEach
  void start() throws Exception {
    server = new WebTestServer();
    client = new H2cClient(server.port());
  }

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private static byte[] unaryRequest(int responseSize) {
    return WebFrames.message(SimpleRequest.newBuilder().setResponseSize(responseSize).build());
  }

  private static void assertOkTrailers(Frame last) {
    assertTrue(last.isTrailers(), () -> "flags " + last.flags());
    assertEquals(0x80, last.flags());
    assertEquals("0", last.trailers().get("grpc-status"), last.trailers()::toString);
  }

  /** A good call still works: the connection and the server are fine. */
  private void assertStillServing() throws Exception {
    Response response = client.send(H2cClient.post(UNARY, BINARY), unaryRequest(3));
    List<Frame> frames = WebFrames.parse(response.bodyBytes());
    assertEquals(2, frames.size(), response::toString);
    assertEquals(
        3, SimpleResponse.parseFrom(frames.get(0).payload()).getPayload().getBody().size());
  }

  @Test
  void binaryUnaryEndsWithTheTrailerFrame() throws Exception {
    Response response = client.send(H2cClient.post(UNARY, BINARY), unaryRequest(10));
    assertEquals("200", response.status(), response::toString);
    assertEquals(BINARY, response.header("content-type"));
    assertNull(response.trailers, "no HTTP/2 trailers: they are in the body");
    List<Frame> frames = WebFrames.parse(response.bodyBytes());
    assertEquals(2, frames.size(), response::toString);
    assertEquals(0, frames.get(0).flags());
    assertEquals(
        10, SimpleResponse.parseFrom(frames.get(0).payload()).getPayload().getBody().size());
    // Exactly gRPC's trailers, as HTTP/1 header lines.
    assertEquals("grpc-status:0\r\n", new String(frames.get(1).payload(), UTF_8));
  }

  @Test
  void textUnaryIsBase64BothWays() throws Exception {
    Response response = client.send(H2cClient.post(UNARY, TEXT), WebFrames.text(unaryRequest(10)));
    assertEquals("200", response.status(), response::toString);
    assertEquals(TEXT, response.header("content-type"));
    List<Frame> frames = WebFrames.parse(WebFrames.decodeTextFrames(response.dataFrames));
    assertEquals(2, frames.size(), response::toString);
    assertEquals(
        10, SimpleResponse.parseFrom(frames.get(0).payload()).getPayload().getBody().size());
    assertOkTrailers(frames.get(1));
  }

  /** Each message and the trailers are base64'd on their own: a client decodes as they come. */
  @Test
  void textServerStreamDecodesPieceByPiece() throws Exception {
    StreamingOutputCallRequest request =
        StreamingOutputCallRequest.newBuilder()
            .addResponseParameters(ResponseParameters.newBuilder().setSize(1))
            .addResponseParameters(ResponseParameters.newBuilder().setSize(2))
            .addResponseParameters(ResponseParameters.newBuilder().setSize(40_000))
            .build();
    Response response =
        client.send(
            H2cClient.post(STREAMING, TEXT + "+proto"), WebFrames.text(WebFrames.message(request)));
    assertEquals(TEXT + "+proto", response.header("content-type"), response::toString);
    List<Frame> frames = WebFrames.parse(WebFrames.decodeTextFrames(response.dataFrames));
    assertEquals(4, frames.size(), response::toString);
    int[] sizes = new int[3];
    for (int i = 0; i < 3; i++) {
      sizes[i] =
          StreamingOutputCallResponse.parseFrom(frames.get(i).payload())
              .getPayload()
              .getBody()
              .size();
    }
    assertArrayEquals(new int[] {1, 2, 40_000}, sizes);
    assertOkTrailers(frames.get(3));
  }

  /** A text body may come in any pieces, and padded chunks may follow one another. */
  @Test
  void textRequestInOddPiecesAndPaddedChunks() throws Exception {
    SimpleRequest request =
        SimpleRequest.newBuilder()
            .setResponseSize(5)
            .setPayload(
                Payload.newBuilder()
                    .setBody(com.google.protobuf.ByteString.copyFrom(new byte[1000])))
            .build();
    byte[] framed = WebFrames.message(request);
    // Two chunks base64'd apart, each padded (1 and 2 bytes over a multiple of 3).
    byte[] first = WebFrames.text(Arrays.copyOfRange(framed, 0, 7));
    byte[] second = WebFrames.text(Arrays.copyOfRange(framed, 7, framed.length));
    byte[] body = new byte[first.length + second.length];
    System.arraycopy(first, 0, body, 0, first.length);
    System.arraycopy(second, 0, body, first.length, second.length);
    Response response =
        client.send(
            H2cClient.post(UNARY, TEXT),
            Arrays.copyOfRange(body, 0, 1),
            Arrays.copyOfRange(body, 1, 7),
            Arrays.copyOfRange(body, 7, body.length));
    List<Frame> frames = WebFrames.parse(WebFrames.decodeTextFrames(response.dataFrames));
    assertEquals(2, frames.size(), response::toString);
    assertEquals(
        5, SimpleResponse.parseFrom(frames.get(0).payload()).getPayload().getBody().size());
  }

  /** A binary request may ask for a text response (PROTOCOL-WEB.md, Accept). */
  @Test
  void acceptAsksForATextResponse() throws Exception {
    Response response =
        client.send(H2cClient.post(UNARY, BINARY).add("accept", TEXT), unaryRequest(4));
    assertEquals(TEXT + "+proto", response.header("content-type"), response::toString);
    List<Frame> frames = WebFrames.parse(WebFrames.decodeTextFrames(response.dataFrames));
    assertOkTrailers(frames.get(1));
  }

  @Test
  void metadataGoesToHeadersAndTrailersToTheTrailerFrame() throws Exception {
    Response response =
        client.send(
            H2cClient.post(UNARY, BINARY)
                .add("x-grpc-test-echo-initial", "hello")
                .add("x-grpc-test-echo-trailing-bin", "q6ur"),
            unaryRequest(1));
    assertEquals("hello", response.header("x-grpc-test-echo-initial"), response::toString);
    assertEquals(UNARY, response.header(WebTestServer.INTERCEPTED_HEADER));
    List<Frame> frames = WebFrames.parse(response.bodyBytes());
    Map<String, String> trailers = frames.get(frames.size() - 1).trailers();
    assertEquals("0", trailers.get("grpc-status"));
    assertEquals("q6ur", trailers.get("x-grpc-test-echo-trailing-bin"), trailers::toString);
  }

  @Test
  void anErrorBeforeAnyMessageIsTrailersOnly() throws Exception {
    SimpleRequest request =
        SimpleRequest.newBuilder()
            .setResponseStatus(
                io.grpc.testing.integration.Messages.EchoStatus.newBuilder()
                    .setCode(9)
                    .setMessage("100% not ready"))
            .build();
    Response response = client.send(H2cClient.post(UNARY, BINARY), WebFrames.message(request));
    assertEquals("200", response.status(), response::toString);
    assertEquals(BINARY, response.header("content-type"));
    assertEquals("9", response.header("grpc-status"));
    assertEquals("100%25 not ready", response.header("grpc-message"), "percent-encoded");
    assertEquals(0, response.bodyBytes().length, response::toString);
  }

  /** No message yet: DEADLINE_EXCEEDED as a Trailers-Only answer, not a reset. */
  @Test
  void theServersDeadlineSendsAStatus() throws Exception {
    Response response =
        client.send(
            H2cClient.post(STREAMING, BINARY).add("grpc-timeout", "200m"),
            WebFrames.message(sleepingStream(false)));
    assertNull(response.resetCode, response::toString);
    assertEquals("4", response.header("grpc-status"), response::toString);
  }

  /** After a message: DEADLINE_EXCEEDED in the trailer frame. */
  @Test
  void theServersDeadlineAfterAMessageEndsTheBody() throws Exception {
    Response response =
        client.send(
            H2cClient.post(STREAMING, BINARY).add("grpc-timeout", "300m"),
            WebFrames.message(sleepingStream(true)));
    assertNull(response.resetCode, response::toString);
    List<Frame> frames = WebFrames.parse(response.bodyBytes());
    assertEquals(2, frames.size(), response::toString);
    assertEquals(
        "4", frames.get(1).trailers().get("grpc-status"), frames.get(1).trailers()::toString);
  }

  private static StreamingOutputCallRequest sleepingStream(boolean messageFirst) {
    StreamingOutputCallRequest.Builder request = StreamingOutputCallRequest.newBuilder();
    if (messageFirst) {
      request.addResponseParameters(ResponseParameters.newBuilder().setSize(1));
    }
    return request
        .addResponseParameters(ResponseParameters.newBuilder().setSize(1).setIntervalUs(2_000_000))
        .build();
  }

  @Test
  void badBase64IsInternalAndTheConnectionCarriesOn() throws Exception {
    Response response = client.send(H2cClient.post(UNARY, TEXT), "AAAA!AAA".getBytes(UTF_8));
    assertEquals("13", response.header("grpc-status"), response::toString);
    assertTrue(response.header("grpc-message").contains("not base64"), response::toString);
    assertEquals(TEXT, response.header("content-type"));
    assertStillServing();
  }

  @Test
  void truncatedBase64IsInternal() throws Exception {
    byte[] text = WebFrames.text(unaryRequest(1));
    Response response =
        client.send(H2cClient.post(UNARY, TEXT), Arrays.copyOf(text, text.length - 1));
    assertEquals("13", response.header("grpc-status"), response::toString);
    assertTrue(response.header("grpc-message").contains("truncated"), response::toString);
    assertStillServing();
  }

  @Test
  void aTruncatedFrameIsInternal() throws Exception {
    byte[] declaredLonger = WebFrames.frame(0, new byte[100]);
    Response response =
        client.send(H2cClient.post(UNARY, BINARY), Arrays.copyOf(declaredLonger, 20));
    assertEquals("13", response.header("grpc-status"), response::toString);
    assertStillServing();
  }

  @Test
  void anUnknownMethodIsUnimplemented() throws Exception {
    Response response =
        client.send(H2cClient.post("no.such.Service/Nothing", BINARY), unaryRequest(1));
    assertEquals("200", response.status(), response::toString);
    assertEquals(BINARY, response.header("content-type"));
    assertEquals("12", response.header("grpc-status"));
    assertEquals(
        "Method not found: no.such.Service/Nothing", decode(response.header("grpc-message")));
    assertStillServing();
  }

  @Test
  void clientStreamingIsUnimplemented() throws Exception {
    Response response =
        client.send(
            H2cClient.post("grpc.testing.TestService/StreamingInputCall", TEXT),
            WebFrames.text(WebFrames.frame(0, new byte[0])));
    assertEquals("12", response.header("grpc-status"), response::toString);
    assertEquals(TEXT, response.header("content-type"));
    assertTrue(
        decode(response.header("grpc-message"))
            .startsWith("gRPC-Web does not support client streaming"),
        response::toString);
  }

  @Test
  void getIsMethodNotAllowed() throws Exception {
    Response response = client.send(H2cClient.post(UNARY, BINARY).method("GET"));
    assertEquals("405", response.status(), response::toString);
    assertEquals("POST", response.header("allow"));
    assertTrue(new String(response.bodyBytes(), UTF_8).contains("gRPC-Web requires POST"));
    assertStillServing();
  }

  @Test
  void jsonIsUnsupportedMediaType() throws Exception {
    Response response =
        client.send(H2cClient.post(UNARY, "application/grpc-web+json"), "{}".getBytes(UTF_8));
    assertEquals("415", response.status(), response::toString);
    assertStillServing();
  }

  @Test
  void anOversizedMessageIsResourceExhausted() throws Exception {
    byte[] big = WebFrames.frame(0, new byte[WebTestServer.MAX_MESSAGE_SIZE + 1]);
    Response response = client.send(H2cClient.post(UNARY, BINARY), big);
    assertEquals("8", response.header("grpc-status"), response::toString);
    assertStillServing();
  }

  /**
   * Responses are compressed only for clients that say they read it: the official grpc-web client
   * sends no grpc-accept-encoding (and cannot read a compressed frame), connect-es does.
   */
  @Test
  void responsesAreCompressedOnlyForClientsThatAcceptIt() throws Exception {
    try (WebTestServer gzipServer = new WebTestServer(builder -> builder.compression("gzip"));
        H2cClient gzipClient = new H2cClient(gzipServer.port())) {
      Response plain = gzipClient.send(H2cClient.post(UNARY, BINARY), unaryRequest(100));
      assertNull(plain.header("grpc-encoding"), plain::toString);
      assertEquals(0, WebFrames.parse(plain.bodyBytes()).get(0).flags(), plain::toString);

      Response gzipped =
          gzipClient.send(
              H2cClient.post(UNARY, BINARY).add("grpc-accept-encoding", "gzip"), unaryRequest(100));
      assertEquals("gzip", gzipped.header("grpc-encoding"), gzipped::toString);
      List<Frame> frames = WebFrames.parse(gzipped.bodyBytes());
      assertEquals(1, frames.get(0).flags(), "the compressed flag");
      assertOkTrailers(frames.get(1));
      byte[] inflated =
          new java.util.zip.GZIPInputStream(
                  new java.io.ByteArrayInputStream(frames.get(0).payload()))
              .readAllBytes();
      assertEquals(100, SimpleResponse.parseFrom(inflated).getPayload().getBody().size());
    }
  }

  /** Plain gRPC on the same connection, next to gRPC-Web: its trailers are HTTP/2 trailers. */
  @Test
  void grpcOnTheSameConnectionIsUnchanged() throws Exception {
    Response response =
        client.send(
            H2cClient.post(UNARY, "application/grpc").add("te", "trailers"), unaryRequest(2));
    assertEquals("application/grpc", response.header("content-type"), response::toString);
    assertEquals("0", String.valueOf(response.trailers.get("grpc-status")), response::toString);
    assertEquals(1, WebFrames.parse(response.bodyBytes()).size());
  }

  private static String decode(String percentEncoded) {
    return java.net.URLDecoder.decode(percentEncoded.replace("+", "%2B"), UTF_8);
  }
}
