package dev.strand.web.grpcweb;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.web.grpcweb.Http1Client.Response;
import dev.strand.web.grpcweb.WebFrames.Frame;
import io.grpc.testing.integration.Messages.ResponseParameters;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.SimpleResponse;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * gRPC-Web over HTTP/1.1 on the cleartext gRPC port, byte for byte: kept-alive connections,
 * pipelined requests, chunked responses ending in the trailer frame, text mode chunk by chunk, and
 * the refusals: gRPC itself (HTTP/2 only), wrong methods, malformed requests.
 */
class GrpcWebHttp11Test {
  private static final String UNARY = "grpc.testing.TestService/UnaryCall";
  private static final String STREAMING = "grpc.testing.TestService/StreamingOutputCall";
  private static final String BINARY = "application/grpc-web+proto";
  private static final String TEXT = "application/grpc-web-text";

  private WebTestServer server;
  private Http1Client client;

  @BeforeEach
  void start() throws Exception {
    server = new WebTestServer();
    client = new Http1Client(server.port());
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

  private static byte[] unary(int responseSize) {
    return WebFrames.message(SimpleRequest.newBuilder().setResponseSize(responseSize).build());
  }

  private static int payloadSize(Frame frame) throws Exception {
    return SimpleResponse.parseFrom(frame.payload()).getPayload().getBody().size();
  }

  @Test
  void oneConnectionServesRequestAfterRequest() throws Exception {
    for (int size = 1; size <= 3; size++) {
      client.write(Http1Client.post(UNARY, BINARY, unary(size)));
      Response response = client.read();
      assertEquals(200, response.status(), response::toString);
      assertEquals(BINARY, response.header("content-type"));
      assertEquals("chunked", response.header("transfer-encoding"));
      List<Frame> frames = WebFrames.parse(response.body());
      assertEquals(size, payloadSize(frames.get(0)));
      assertEquals("grpc-status:0\r\n", new String(frames.get(1).payload(), US_ASCII));
    }
  }

  /** Pipelined requests are answered in order, each after the one before it. */
  @Test
  void pipelinedRequestsAreAnsweredInOrder() throws Exception {
    client.write(
        Http1Client.post(UNARY, BINARY, unary(5)),
        Http1Client.post("no.such.Service/Nothing", BINARY, unary(1)),
        Http1Client.post(UNARY, BINARY, unary(7)));
    assertEquals(5, payloadSize(WebFrames.parse(client.read().body()).get(0)));
    Response unknown = client.read();
    assertEquals("12", unknown.header("grpc-status"), unknown::toString);
    assertEquals(7, payloadSize(WebFrames.parse(client.read().body()).get(0)));
  }

  /** Each message and the trailers leave as chunks of their own, whole base64 each. */
  @Test
  void aTextServerStreamComesChunkByChunk() throws Exception {
    StreamingOutputCallRequest request =
        StreamingOutputCallRequest.newBuilder()
            .addResponseParameters(ResponseParameters.newBuilder().setSize(3))
            .addResponseParameters(ResponseParameters.newBuilder().setSize(30_000))
            .build();
    client.write(Http1Client.post(STREAMING, TEXT, WebFrames.text(WebFrames.message(request))));
    Response response = client.read();
    assertEquals(TEXT, response.header("content-type"), response::toString);
    List<Frame> frames = WebFrames.parse(WebFrames.decodeTextFrames(response.chunks()));
    assertEquals(3, frames.size(), response::toString);
    assertTrue(frames.get(2).isTrailers());
    assertEquals("0", frames.get(2).trailers().get("grpc-status"));
  }

  @Test
  void theServersDeadlineSendsAStatus() throws Exception {
    StreamingOutputCallRequest sleeping =
        StreamingOutputCallRequest.newBuilder()
            .addResponseParameters(ResponseParameters.newBuilder().setSize(1))
            .addResponseParameters(
                ResponseParameters.newBuilder().setSize(1).setIntervalUs(2_000_000))
            .build();
    client.write(
        Http1Client.post(STREAMING, BINARY, WebFrames.message(sleeping), "grpc-timeout: 300m"));
    List<Frame> frames = WebFrames.parse(client.read().body());
    assertEquals(2, frames.size());
    assertEquals("4", frames.get(1).trailers().get("grpc-status"));
    // And the connection serves the next call.
    client.write(Http1Client.post(UNARY, BINARY, unary(2)));
    assertEquals(2, payloadSize(WebFrames.parse(client.read().body()).get(0)));
  }

  @Test
  void badBase64IsInternalAndTheConnectionCarriesOn() throws Exception {
    client.write(Http1Client.post(UNARY, TEXT, "AAAA!AAA".getBytes(US_ASCII)));
    Response response = client.read();
    assertEquals("13", response.header("grpc-status"), response::toString);
    client.write(Http1Client.post(UNARY, BINARY, unary(4)));
    assertEquals(4, payloadSize(WebFrames.parse(client.read().body()).get(0)));
  }

  /** gRPC needs HTTP/2 (its trailers): over HTTP/1.1 it is refused, clearly. */
  @Test
  void grpcOverHttp11IsRefused() throws Exception {
    client.write(Http1Client.post(UNARY, "application/grpc", unary(1)));
    Response response = client.read();
    assertEquals(505, response.status(), response::toString);
    assertTrue(new String(response.body(), UTF_8).contains("gRPC requires HTTP/2"));
    assertTrue(client.closedByServer());
  }

  @Test
  void getIsMethodNotAllowed() throws Exception {
    client.write(
        ("GET /" + UNARY + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + BINARY + "\r\n\r\n")
            .getBytes(US_ASCII));
    Response response = client.read();
    assertEquals(405, response.status(), response::toString);
    assertEquals("POST", response.header("allow"));
    client.write(Http1Client.post(UNARY, BINARY, unary(1)));
    assertEquals(200, client.read().status(), "kept alive");
  }

  @Test
  void aMalformedRequestIsBadRequest() throws Exception {
    client.write("POST / HTTP/1.1\r\nno colon here\r\n\r\n".getBytes(US_ASCII));
    assertEquals(400, client.read().status());
    assertTrue(client.closedByServer());
  }

  @Test
  void connectionCloseIsHonoured() throws Exception {
    client.write(Http1Client.post(UNARY, BINARY, unary(1), "Connection: close"));
    Response response = client.read();
    assertEquals(200, response.status());
    assertEquals("close", response.header("connection"));
    assertTrue(client.closedByServer());
  }

  /**
   * A request head that never ends, or a kept-alive connection left idle, is closed at the server's
   * handshake timeout: HTTP/1.1 gets no slowloris HTTP/2 would not.
   */
  @Test
  void anUnfinishedHeadOrAnIdleConnectionIsClosedInTime() throws Exception {
    Duration timeout = Duration.ofMillis(300);
    try (WebTestServer strict = new WebTestServer(b -> b.handshakeTimeout(timeout));
        Http1Client trickling = new Http1Client(strict.port());
        Http1Client idle = new Http1Client(strict.port())) {
      long start = System.nanoTime();
      trickling.write("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(US_ASCII));
      idle.write(Http1Client.post(UNARY, BINARY, unary(1)));
      assertEquals(200, idle.read().status());
      assertTrue(trickling.closedByServer());
      assertTrue(idle.closedByServer());
      long tookMillis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(tookMillis >= timeout.toMillis() - 50, tookMillis + " ms");
    }
  }

  /** A body of many socket reads and HTTP/1.1 chunks of the decoder's makes one message. */
  @Test
  void aLargeTextBodyArrivesInManyPieces() throws Exception {
    SimpleRequest large =
        SimpleRequest.newBuilder()
            .setResponseSize(1)
            .setPayload(
                io.grpc.testing.integration.Messages.Payload.newBuilder()
                    .setBody(com.google.protobuf.ByteString.copyFrom(new byte[700_000])))
            .build();
    client.write(Http1Client.post(UNARY, TEXT, WebFrames.text(WebFrames.message(large))));
    Response response = client.read();
    List<Frame> frames = WebFrames.parse(WebFrames.decodeTextFrames(response.chunks()));
    assertEquals(1, payloadSize(frames.get(0)), response::toString);
  }
}
