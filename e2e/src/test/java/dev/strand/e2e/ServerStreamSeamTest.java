package dev.strand.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.e2e.RawHttp2Client.Response;
import dev.strand.server.Server;
import dev.strand.testing.EchoService;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The server stream seam carries a protocol that is not gRPC: {@link EchoBytesProtocol}, found
 * through ServiceLoader, serves its own content type on the same port and connection as gRPC, with
 * flow control, request end and reset reaching it through the seam, while gRPC and the fallback
 * answers stay as they were.
 */
class ServerStreamSeamTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String UNARY = EchoService.NAME + "/Unary";
  private Server server;
  private RawHttp2Client client;

  @BeforeEach
  void start() throws Exception {
    EchoBytesProtocol.EVENTS.clear();
    server = Server.builder().address("127.0.0.1", 0).service(EchoService.definition()).start();
    client = RawHttp2Client.connect(server.port());
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

  private static Http2Headers echoRequest() {
    return new DefaultHttp2Headers()
        .method("POST")
        .scheme("http")
        .path("/anything")
        .authority("127.0.0.1")
        .add("content-type", EchoBytesProtocol.CONTENT_TYPE);
  }

  @Test
  void anotherProtocolAndGrpcShareOneConnection() throws Exception {
    int echo = client.newStreamId();
    client.writeHeaders(echo, echoRequest(), false);
    client.writeData(echo, "hello, ".getBytes(UTF_8), false);
    client.writeData(echo, "seam".getBytes(UTF_8), true);
    int grpc = client.newStreamId();
    client.writeRequest(
        grpc,
        RawHttp2Client.grpcRequestHeaders(UNARY),
        RawHttp2Client.grpcMessage("still gRPC"),
        true);

    Response echoed = client.awaitResponse(echo, WAIT);
    assertEquals("200", echoed.httpStatus(), echoed::toString);
    assertEquals("hello, seam", new String(echoed.data(), UTF_8), echoed::toString);
    assertEquals("11", String.valueOf(echoed.trailers().get("x-echoed-bytes")), echoed::toString);
    Response answered = client.awaitResponse(grpc, WAIT);
    assertEquals(0, answered.grpcStatus(), answered::toString);
    assertEquals(java.util.List.of("echo:still gRPC"), answered.messagesUtf8(), answered::toString);
    assertEquals("open", EchoBytesProtocol.EVENTS.poll(5, TimeUnit.SECONDS));
    assertEquals("closed", EchoBytesProtocol.EVENTS.poll(5, TimeUnit.SECONDS));
  }

  /** Four times the stream window: it only arrives if the echo returns bytes to the window. */
  @Test
  void flowControlPassesThroughTheSeam() throws Exception {
    byte[] body = new byte[4 * 1024 * 1024 + 17];
    new Random(7).nextBytes(body);
    int echo = client.newStreamId();
    client.writeHeaders(echo, echoRequest(), false);
    client.sendDataFlowControlled(echo, body, true, WAIT);

    Response echoed = client.awaitResponse(echo, WAIT);
    assertArrayEquals(body, echoed.data());
    assertEquals(
        String.valueOf(body.length),
        String.valueOf(echoed.trailers().get("x-echoed-bytes")),
        echoed::toString);
  }

  @Test
  void aResetReachesTheProtocolAndTheConnectionCarriesOn() throws Exception {
    int echo = client.newStreamId();
    client.writeHeaders(echo, echoRequest(), false);
    client.writeData(echo, "half".getBytes(UTF_8), false);
    assertEquals("open", EchoBytesProtocol.EVENTS.poll(5, TimeUnit.SECONDS));
    client.writeRstStream(echo, Http2Error.CANCEL);
    assertEquals(
        "reset " + Http2Error.CANCEL.code(), EchoBytesProtocol.EVENTS.poll(5, TimeUnit.SECONDS));
    assertEquals("closed", EchoBytesProtocol.EVENTS.poll(5, TimeUnit.SECONDS));

    int grpc = client.newStreamId();
    client.writeRequest(
        grpc, RawHttp2Client.grpcRequestHeaders(UNARY), RawHttp2Client.grpcMessage("after"), true);
    assertEquals(0, client.awaitResponse(grpc, WAIT).grpcStatus());
  }

  /**
   * The seam carries HTTP/1.1 too, on the same cleartext port: a request becomes a ServerStream
   * like an HTTP/2 one, so a protocol serves it without knowing the version.
   */
  @Test
  void anotherProtocolOverHttp11() throws Exception {
    HttpClient http1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpResponse<String> echoed =
        http1.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/anything"))
                .header("content-type", EchoBytesProtocol.CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofString("hello, HTTP/1.1"))
                .timeout(WAIT)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, echoed.statusCode(), echoed::toString);
    assertEquals(HttpClient.Version.HTTP_1_1, echoed.version());
    assertEquals("hello, HTTP/1.1", echoed.body());
    assertEquals("open", EchoBytesProtocol.EVENTS.poll(5, TimeUnit.SECONDS));
    assertEquals("closed", EchoBytesProtocol.EVENTS.poll(5, TimeUnit.SECONDS));
  }

  /** What no protocol claims still gets gRPC's answers. */
  @Test
  void unclaimedRequestsGetTheFallbackAnswers() throws Exception {
    int other = client.newStreamId();
    client.writeHeaders(other, echoRequest().set("content-type", "text/plain"), true);
    Response r = client.awaitResponse(other, WAIT);
    assertEquals("415", r.httpStatus(), r::toString);
    int get = client.newStreamId();
    client.writeHeaders(get, RawHttp2Client.grpcRequestHeaders(UNARY).method("GET"), true);
    assertEquals("405", client.awaitResponse(get, WAIT).httpStatus());
    assertTrue(EchoBytesProtocol.EVENTS.isEmpty(), EchoBytesProtocol.EVENTS::toString);
  }
}
