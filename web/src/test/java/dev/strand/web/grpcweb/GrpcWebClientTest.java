package dev.strand.web.grpcweb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.strand.client.Channel;
import dev.strand.client.ManagedChannel;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.TestService;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real gRPC-Web client (connect-es, in Node, over HTTP/2 without TLS) calls grpc.testing's
 * TestService on a Strand server that has strand-web on its path and nothing else set up for it:
 * gRPC-Web's interop cases, the streaming shapes gRPC-Web refuses, deadlines, limits, compression,
 * interceptors. A gRPC call on the same port shows gRPC is served as before.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GrpcWebClientTest {
  // Subclassed for TLS: GrpcWebClientTlsTest.
  // connect-es's numeric codes are gRPC's.
  private static final int UNKNOWN = 2;
  private static final int DEADLINE_EXCEEDED = 4;
  private static final int RESOURCE_EXHAUSTED = 8;
  private static final int UNIMPLEMENTED = 12;

  private WebTestServer server;
  private Map<String, JsonObject> results;

  @BeforeAll
  void runTheClient(@TempDir Path scratch) throws Exception {
    server = startServer();
    results = runClient(server, scratch);
  }

  WebTestServer startServer() throws Exception {
    return new WebTestServer();
  }

  Map<String, JsonObject> runClient(WebTestServer server, Path scratch) throws Exception {
    return NodeGrpcWebClient.run(server.baseUrl(false), httpVersion(), null, null, scratch);
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  ManagedChannel grpcChannel(WebTestServer server) {
    return Channel.to("127.0.0.1", server.port()).plaintext().build();
  }

  /** The HTTP version the client speaks. */
  String httpVersion() {
    return "2";
  }

  private JsonObject result(String name) {
    JsonObject result = results.get(name);
    assertTrue(result != null, () -> "no result for " + name + " in " + results.keySet());
    return result;
  }

  private JsonObject ok(String name) {
    JsonObject result = result(name);
    assertEquals(0, result.get("code").getAsInt(), result::toString);
    return result;
  }

  private static List<Integer> sizes(JsonObject result) {
    List<Integer> sizes = new ArrayList<>();
    JsonArray array = result.getAsJsonArray("sizes");
    for (JsonElement size : array) {
      sizes.add(size.getAsInt());
    }
    return sizes;
  }

  private static String header(JsonObject result, String part, String name) {
    JsonElement value = result.getAsJsonObject(part).get(name);
    return value == null ? null : value.getAsString();
  }

  @Test
  void emptyUnary() {
    ok("empty_unary");
  }

  @Test
  void largeUnary() {
    assertEquals(List.of(314159), sizes(ok("large_unary")));
  }

  @Test
  void clientCompressedUnary() {
    assertEquals(List.of(1000), sizes(ok("client_compressed_unary")));
  }

  @Test
  void serverStreaming() {
    assertEquals(List.of(31415, 9, 2653, 58979), sizes(ok("server_streaming")));
  }

  @Test
  void serverStreamingWithNoMessages() {
    assertEquals(List.of(), sizes(ok("server_streaming_empty")));
  }

  @Test
  void customMetadataUnary() {
    JsonObject result = ok("custom_metadata_unary");
    assertEquals(
        "test_initial_metadata_value",
        header(result, "headers", "x-grpc-test-echo-initial"),
        result::toString);
    assertEquals(
        "q6ur", header(result, "trailers", "x-grpc-test-echo-trailing-bin"), result::toString);
  }

  @Test
  void customMetadataStreaming() {
    JsonObject result = ok("custom_metadata_streaming");
    assertEquals(
        "test_initial_metadata_value",
        header(result, "headers", "x-grpc-test-echo-initial"),
        result::toString);
    assertEquals(
        "q6ur", header(result, "trailers", "x-grpc-test-echo-trailing-bin"), result::toString);
  }

  @Test
  void statusCodeAndMessage() {
    JsonObject result = result("status_code_and_message");
    assertEquals(UNKNOWN, result.get("code").getAsInt(), result::toString);
    assertEquals("test status message", result.get("message").getAsString());
  }

  @Test
  void specialStatusMessage() {
    JsonObject result = result("special_status_message");
    assertEquals(UNKNOWN, result.get("code").getAsInt(), result::toString);
    assertEquals(
        "\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP \uD83D\uDE08\t\n",
        result.get("message").getAsString());
  }

  @Test
  void unimplementedMethod() {
    JsonObject result = result("unimplemented_method");
    assertEquals(UNIMPLEMENTED, result.get("code").getAsInt(), result::toString);
  }

  @Test
  void unimplementedService() {
    JsonObject result = result("unimplemented_service");
    assertEquals(UNIMPLEMENTED, result.get("code").getAsInt(), result::toString);
    assertEquals(
        "Method not found: grpc.testing.UnimplementedService/UnimplementedCall",
        result.get("message").getAsString());
  }

  @Test
  void timeoutOnSleepingServer() {
    JsonObject result = result("timeout_on_sleeping_server");
    assertEquals(DEADLINE_EXCEEDED, result.get("code").getAsInt(), result::toString);
  }

  @Test
  void oversizedRequestIsResourceExhausted() {
    JsonObject result = result("oversized_request");
    assertEquals(RESOURCE_EXHAUSTED, result.get("code").getAsInt(), result::toString);
  }

  @Test
  void anExceptionInApplicationCodeIsUnknownAndStaysOnTheServer() {
    JsonObject result = result("handler_throws");
    assertEquals(UNKNOWN, result.get("code").getAsInt(), result::toString);
    assertFalse(result.get("message").getAsString().contains("secret"), result::toString);
  }

  @Test
  void clientStreamingIsRefused() {
    JsonObject result = result("client_streaming");
    assertEquals(UNIMPLEMENTED, result.get("code").getAsInt(), result::toString);
    assertEquals(
        "gRPC-Web does not support client streaming: "
            + "grpc.testing.TestService/StreamingInputCall is a client-streaming method",
        result.get("message").getAsString());
  }

  @Test
  void bidiStreamingIsRefused() {
    JsonObject result = result("bidi_streaming");
    assertEquals(UNIMPLEMENTED, result.get("code").getAsInt(), result::toString);
    assertTrue(
        result
            .get("message")
            .getAsString()
            .startsWith("gRPC-Web does not support client streaming"),
        result::toString);
  }

  /** Interceptors see gRPC-Web calls as they see gRPC ones: their headers reach the client. */
  @Test
  void interceptorsRunForGrpcWebCalls() {
    JsonObject result = ok("large_unary");
    assertEquals(
        "grpc.testing.TestService/UnaryCall",
        header(result, "headers", WebTestServer.INTERCEPTED_HEADER),
        result::toString);
    assertTrue(
        server.closed.contains("grpc.testing.TestService/StreamingOutputCall 0"),
        server.closed::toString);
  }

  /** The same port still serves gRPC, after all of the above. */
  @Test
  void grpcOnTheSamePortIsUnchanged() {
    try (ManagedChannel channel = grpcChannel(server)) {
      var response =
          TestService.client(channel)
              .unaryCall(SimpleRequest.newBuilder().setResponseSize(7).build());
      assertEquals(7, response.getPayload().getBody().size());
    }
  }
}
