package dev.strand.web.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.UnknownFieldSet;
import dev.strand.ConnectivityState;
import dev.strand.Status;
import dev.strand.StatusException;
import dev.strand.client.Channel;
import dev.strand.client.ManagedChannel;
import dev.strand.client.WireProtocol;
import dev.strand.stub.StreamSource;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.StreamingOutputCallRequest;
import io.grpc.testing.integration.TestService;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A web-protocol channel against a server that answers wrongly: each bad response ends the call
 * with a clear status, and the channel goes on to make the next call.
 */
class BadServerResponsesTest {
  private static final String GRPC_WEB_OK =
      "HTTP/1.1 200 OK\r\ncontent-type: application/grpc-web+proto\r\nconnection: close";
  private static final String CONNECT_OK =
      "HTTP/1.1 200 OK\r\ncontent-type: application/proto\r\nconnection: close";
  private static final String CONNECT_STREAM_OK =
      "HTTP/1.1 200 OK\r\ncontent-type: application/connect+proto\r\nconnection: close";

  private CannedHttpServer server;
  private ManagedChannel grpcWeb;
  private ManagedChannel connect;

  @BeforeEach
  void start() throws Exception {
    server = new CannedHttpServer();
    grpcWeb = channel(WireProtocol.GRPC_WEB, server.target());
    connect = channel(WireProtocol.CONNECT, server.target());
  }

  private static ManagedChannel channel(WireProtocol protocol, String target) {
    return Channel.to(target)
        .plaintext()
        .protocol(protocol)
        .maxInboundMessageSize(64 * 1024)
        .defaultTimeout(Duration.ofSeconds(10))
        .build();
  }

  @AfterEach
  void stop() throws Exception {
    for (ManagedChannel channel : new ManagedChannel[] {grpcWeb, connect}) {
      channel.shutdownNow();
      assertTrue(channel.awaitTermination(Duration.ofSeconds(5)));
    }
    server.close();
  }

  private static byte[] envelope(int flags, byte[] payload, int declaredLength) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(flags);
    out.write(declaredLength >>> 24);
    out.write(declaredLength >>> 16);
    out.write(declaredLength >>> 8);
    out.write(declaredLength);
    out.writeBytes(payload);
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  private static byte[] okTrailers() {
    byte[] lines = "grpc-status:0\r\n".getBytes(StandardCharsets.US_ASCII);
    return envelope(0x80, lines, lines.length);
  }

  private Status unary(ManagedChannel channel) {
    return assertThrows(
            StatusException.class,
            () -> TestService.client(channel).unaryCall(SimpleRequest.getDefaultInstance()))
        .status();
  }

  private Status serverStream(ManagedChannel channel) {
    return assertThrows(
            StatusException.class,
            () -> {
              try (StreamSource<?> responses =
                  TestService.client(channel)
                      .streamingOutputCall(StreamingOutputCallRequest.getDefaultInstance())) {
                responses.forEach(r -> {});
              }
            })
        .status();
  }

  private static void assertStatus(Status.Code code, String words, Status status) {
    assertEquals(code, status.code(), status.toString());
    assertTrue(
        status.description() != null && status.description().contains(words), status.toString());
  }

  @Test
  void aBodyThatEndsInsideAMessage() {
    server.answer(GRPC_WEB_OK, envelope(0, new byte[3], 10));
    assertStatus(Status.Code.INTERNAL, "ended inside a message", unary(grpcWeb));
  }

  @Test
  void aGrpcWebBodyWithoutTrailers() {
    server.answer(GRPC_WEB_OK, envelope(0, new byte[0], 0));
    assertStatus(Status.Code.INTERNAL, "without trailers", unary(grpcWeb));
  }

  @Test
  void dataAfterTheTrailers() {
    server.answer(GRPC_WEB_OK, concat(okTrailers(), envelope(0, new byte[0], 0)));
    assertStatus(Status.Code.INTERNAL, "after its trailers", unary(grpcWeb));
  }

  @Test
  void aLengthPrefixOverTheLimitIsNotBuffered() {
    server.answer(GRPC_WEB_OK, envelope(0, new byte[0], 1 << 30));
    assertStatus(Status.Code.RESOURCE_EXHAUSTED, "over the limit", unary(grpcWeb));
  }

  @Test
  void aCompressedMessageWithoutAnEncoding() {
    server.answer(GRPC_WEB_OK, concat(envelope(1, new byte[4], 4), okTrailers()));
    assertStatus(Status.Code.INTERNAL, "compressed message", unary(grpcWeb));
  }

  @Test
  void aResponseThatIsNotGrpcWeb() {
    server.answer(
        "HTTP/1.1 200 OK\r\ncontent-type: text/html\r\nconnection: close",
        "<html>".getBytes(StandardCharsets.US_ASCII));
    assertStatus(Status.Code.INTERNAL, "not a gRPC-Web response", unary(grpcWeb));
    assertStatus(Status.Code.INTERNAL, "not a Connect response", unary(connect));
  }

  @Test
  void httpErrorsMapToStatusesAsGrpcSays() {
    server.answer("HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0", new byte[0]);
    assertEquals(Status.Code.UNAVAILABLE, unary(grpcWeb).code());
    assertEquals(Status.Code.UNAVAILABLE, serverStream(connect).code());
    server.answer("HTTP/1.1 404 Not Found\r\ncontent-length: 0", new byte[0]);
    assertEquals(Status.Code.UNIMPLEMENTED, unary(grpcWeb).code());
  }

  @Test
  void aTrailersOnlyStatusThatIsNotANumber() {
    server.answer(GRPC_WEB_OK + "\r\ngrpc-status: abc\r\ncontent-length: 0", new byte[0]);
    assertStatus(Status.Code.UNKNOWN, "not a status code", unary(grpcWeb));
  }

  @Test
  void theConnectionDropsMidBody() {
    server.answer(
        "HTTP/1.1 200 OK\r\ncontent-type: application/grpc-web+proto\r\ncontent-length: 100",
        envelope(0, new byte[2], 40));
    assertEquals(Status.Code.UNAVAILABLE, unary(grpcWeb).code());
  }

  @Test
  void aConnectMessageThatDoesNotParse() {
    server.answer(CONNECT_OK + "\r\ncontent-length: 3", new byte[] {(byte) 0xff, 1, 2});
    assertStatus(Status.Code.INTERNAL, "could not parse", unary(connect));
  }

  @Test
  void aConnectErrorWhoseBodyIsNotJson() {
    server.answer(
        "HTTP/1.1 500 Oops\r\ncontent-type: application/json\r\ncontent-length: 5",
        "oops!".getBytes(StandardCharsets.US_ASCII));
    assertStatus(Status.Code.UNKNOWN, "not Connect's JSON", unary(connect));
  }

  @Test
  void aConnectErrorWithDetailsBecomesTheRichStatus() {
    String json =
        "{\"code\":\"resource_exhausted\",\"message\":\"slow down ⏳\","
            + "\"details\":[{\"type\":\"google.rpc.RetryInfo\",\"value\":\"CgIIBQ\"}]}";
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    server.answer(
        "HTTP/1.1 429 Too Many\r\ncontent-type: application/json\r\ncontent-length: " + body.length,
        body);
    StatusException error =
        assertThrows(
            StatusException.class,
            () -> TestService.client(connect).unaryCall(SimpleRequest.getDefaultInstance()));
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, error.code());
    assertEquals("slow down ⏳", error.status().description());
    byte[] details = error.trailers().getBinary("grpc-status-details-bin");
    // google.rpc.Status, read field by field: code = 1, message = 2, details = 3 (Any).
    UnknownFieldSet rich = parse(details);
    assertEquals(List.of(8L), rich.getField(1).getVarintList());
    assertEquals("slow down ⏳", rich.getField(2).getLengthDelimitedList().get(0).toStringUtf8());
    UnknownFieldSet any = parse(rich.getField(3).getLengthDelimitedList().get(0).toByteArray());
    assertEquals(
        "type.googleapis.com/google.rpc.RetryInfo",
        any.getField(1).getLengthDelimitedList().get(0).toStringUtf8());
    assertArrayEquals(
        new byte[] {10, 2, 8, 5}, any.getField(2).getLengthDelimitedList().get(0).toByteArray());
  }

  private static UnknownFieldSet parse(byte[] bytes) {
    try {
      return UnknownFieldSet.parseFrom(bytes);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aConnectStreamWithoutItsEnd() {
    server.answer(CONNECT_STREAM_OK, envelope(0, new byte[0], 0));
    assertStatus(Status.Code.INTERNAL, "end-of-stream", serverStream(connect));
  }

  @Test
  void aConnectEndOfStreamThatIsNotJson() {
    byte[] garbage = "{nope".getBytes(StandardCharsets.US_ASCII);
    server.answer(CONNECT_STREAM_OK, envelope(2, garbage, garbage.length));
    assertStatus(Status.Code.INTERNAL, "not JSON", serverStream(connect));
  }

  @Test
  void aRefusedConnectionIsUnavailable() throws Exception {
    int closedPort;
    try (ServerSocket probe = new ServerSocket(0)) {
      closedPort = probe.getLocalPort();
    }
    ManagedChannel nowhere = channel(WireProtocol.GRPC_WEB, "127.0.0.1:" + closedPort);
    try {
      assertEquals(Status.Code.UNAVAILABLE, unary(nowhere).code());
      assertEquals(ConnectivityState.TRANSIENT_FAILURE, nowhere.state(false));
    } finally {
      nowhere.shutdownNow();
      assertTrue(nowhere.awaitTermination(Duration.ofSeconds(5)));
    }
  }

  @Test
  void theChannelCarriesOnAfterABadResponse() {
    server.answer(GRPC_WEB_OK, envelope(0, new byte[3], 10));
    unary(grpcWeb);
    server.answer(GRPC_WEB_OK, concat(envelope(0, new byte[0], 0), okTrailers()));
    assertEquals(
        0,
        TestService.client(grpcWeb)
            .unaryCall(SimpleRequest.getDefaultInstance())
            .getSerializedSize());
  }

  @Test
  void targetsAndOptionsAWebChannelCannotHonourFailAtBuild() {
    IllegalArgumentException path =
        assertThrows(
            IllegalArgumentException.class,
            () -> Channel.to("unix:///tmp/x").plaintext().protocol(WireProtocol.CONNECT).build());
    assertTrue(path.getMessage().contains("host:port"), path.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            Channel.to("127.0.0.1:1")
                .plaintext()
                .overrideAuthority("example.com")
                .protocol(WireProtocol.CONNECT)
                .build());
  }
}
