package dev.strand.web.grpcweb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
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
 * The official gRPC-Web client (the grpc-web npm package browsers use) in its default text mode,
 * application/grpc-web-text, over HTTP/1.1 through xhr2: base64 requests, base64 responses it
 * decodes as they stream in, status and trailers from the body's trailer frame.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GrpcWebTextClientTest {
  private WebTestServer server;
  private Map<String, JsonObject> results;

  @BeforeAll
  void runTheClient(@TempDir Path scratch) throws Exception {
    server = new WebTestServer();
    results = NodeGrpcWebClient.runOfficialTextClient(server.baseUrl(false), scratch);
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private JsonObject result(String name, int code) {
    JsonObject result = results.get(name);
    assertTrue(result != null, () -> "no result for " + name + " in " + results.keySet());
    assertEquals(code, result.get("code").getAsInt(), result::toString);
    return result;
  }

  private static List<Integer> sizes(JsonObject result) {
    List<Integer> sizes = new ArrayList<>();
    for (JsonElement size : result.getAsJsonArray("sizes")) {
      sizes.add(size.getAsInt());
    }
    return sizes;
  }

  @Test
  void largeUnary() {
    assertEquals(List.of(314159), sizes(result("large_unary", 0)));
  }

  @Test
  void serverStreaming() {
    assertEquals(List.of(31415, 9, 2653, 58979), sizes(result("server_streaming", 0)));
  }

  @Test
  void customMetadata() {
    JsonObject result = result("custom_metadata", 0);
    assertEquals(
        "test_initial_metadata_value",
        result.getAsJsonObject("headers").get("x-grpc-test-echo-initial").getAsString(),
        result::toString);
    assertEquals(
        "q6ur",
        result.getAsJsonObject("trailers").get("x-grpc-test-echo-trailing-bin").getAsString(),
        result::toString);
  }

  @Test
  void specialStatusMessage() {
    assertEquals(
        "\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP \uD83D\uDE08\t\n",
        result("special_status_message", 2).get("message").getAsString());
  }

  @Test
  void unimplementedMethod() {
    result("unimplemented_method", 12);
  }

  /** grpc-web sends its deadline as grpc-timeout; the server's status says it passed. */
  @Test
  void timeoutOnSleepingServer() {
    JsonObject result = result("timeout_on_sleeping_server", 4);
    assertEquals(List.of(1), sizes(result), result::toString);
  }
}
