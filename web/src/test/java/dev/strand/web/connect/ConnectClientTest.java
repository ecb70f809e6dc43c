package dev.strand.web.connect;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.strand.web.grpcweb.NodeGrpcWebClient;
import dev.strand.web.grpcweb.WebTestServer;
import io.grpc.testing.integration.Test;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A real Connect client (connect-es's Connect transport from @connectrpc/connect-node, in Node)
 * calls grpc.testing's TestService, and a service with a side-effect-free method, on a Strand
 * server that has strand-web on its path and nothing else set up for it: in binary and JSON, over
 * HTTP/2 and HTTP/1.1. Unary (with messages over 256 KiB), the three streaming shapes (bidi is
 * refused over HTTP/1.1), metadata both ways with binary trailers, errors with non-ASCII messages
 * and details, GET, deadlines, limits, gzip, interceptors.
 */
class ConnectClientTest {
  // connect-es's numeric codes are gRPC's.
  private static final int UNKNOWN = 2;
  private static final int DEADLINE_EXCEEDED = 4;
  private static final int NOT_FOUND = 5;
  private static final int FAILED_PRECONDITION = 9;
  private static final int RESOURCE_EXHAUSTED = 8;
  private static final int UNIMPLEMENTED = 12;
  private static final String SPECIAL_MESSAGE =
      "\t\ntest with whitespace\r\nand Unicode BMP \u263a and non-BMP \ud83d\ude08\t\n";

  private static final Path CERTS = Path.of("target", "certs");
  private static final String SERVER_NAME = "foo.test.google.fr";

  static WebTestServer server;
  static WebTestServer tlsServer;
  @TempDir static Path scratch;

  @BeforeAll
  static void start() throws Exception {
    server = new WebTestServer(builder -> builder.service(LookupService.definition()));
    tlsServer =
        new WebTestServer(
            builder ->
                builder
                    .service(LookupService.definition())
                    .tls(CERTS.resolve("server1.pem"), CERTS.resolve("server1.key")));
  }

  @AfterAll
  static void stop() {
    server.close();
    tlsServer.close();
  }

  /** Over TLS the client checks gRPC's test certificate; ALPN h2, or http/1.1 as browsers offer. */
  @ParameterizedTest(name = "HTTP/{0} {1} tls={2}")
  @CsvSource({
    "2, proto, false",
    "2, json, false",
    "1.1, proto, false",
    "1.1, json, false",
    "2, json, true",
    "1.1, proto, true"
  })
  void theClientsCasesGoAsConnectSays(String httpVersion, String format, boolean tls)
      throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(tls ? tlsServer.baseUrl(true) : server.baseUrl(false), httpVersion, format));
    if (tls) {
      args.addAll(List.of(CERTS.resolve("ca.pem").toAbsolutePath().toString(), SERVER_NAME));
    }
    Map<String, JsonObject> results =
        NodeGrpcWebClient.runScript(
            "connect-client.mjs",
            args,
            List.of(Test.getDescriptor(), LookupService.file()),
            scratch,
            "connect-" + httpVersion + "-" + format + (tls ? "-tls" : ""));
    boolean http2 = httpVersion.equals("2");
    List<Executable> checks = new ArrayList<>();
    Consumer<Executable> check = checks::add;

    check.accept(() -> ok(results, "empty_unary"));
    check.accept(() -> assertEquals(List.of(314159), sizes(ok(results, "large_unary"))));
    check.accept(() -> assertEquals(List.of(1000), sizes(ok(results, "client_compressed_unary"))));
    check.accept(
        () -> assertEquals(List.of(31415, 9, 2653, 58979), sizes(ok(results, "server_streaming"))));
    check.accept(() -> assertEquals(List.of(), sizes(ok(results, "server_streaming_empty"))));
    for (String metadata : new String[] {"custom_metadata_unary", "custom_metadata_streaming"}) {
      check.accept(
          () -> {
            JsonObject result = ok(results, metadata);
            assertEquals(
                "test_initial_metadata_value",
                header(result, "headers", "x-grpc-test-echo-initial"),
                result::toString);
            assertEquals(
                "q6ur",
                header(result, "trailers", "x-grpc-test-echo-trailing-bin"),
                result::toString);
            assertEquals(
                "grpc.testing.TestService/"
                    + (metadata.endsWith("unary") ? "UnaryCall" : "StreamingOutputCall"),
                header(result, "headers", WebTestServer.INTERCEPTED_HEADER),
                "the server's interceptor saw the call");
          });
    }
    check.accept(() -> failed(results, "status_code_and_message", UNKNOWN, "test status message"));
    check.accept(() -> failed(results, "special_status_message", UNKNOWN, SPECIAL_MESSAGE));
    check.accept(() -> failed(results, "streaming_status", FAILED_PRECONDITION, SPECIAL_MESSAGE));
    check.accept(
        () -> {
          JsonObject result = failed(results, "error_details", NOT_FOUND, "n\u00f6t found \u263a");
          JsonObject detail = result.getAsJsonArray("details").get(0).getAsJsonObject();
          assertEquals(NOT_FOUND, detail.get("code").getAsInt(), result::toString);
          assertEquals("n\u00f6t found \u263a", detail.get("message").getAsString());
        });
    check.accept(
        () -> {
          JsonObject result = ok(results, "get_without_side_effects");
          assertEquals("size 42", result.get("username").getAsString(), result::toString);
          assertEquals(List.of(3), sizes(result));
        });
    check.accept(
        () -> failed(results, "unimplemented_method", UNIMPLEMENTED, "unimplemented on purpose"));
    check.accept(
        () ->
            failed(
                results,
                "unimplemented_service",
                UNIMPLEMENTED,
                "Method not found: grpc.testing.UnimplementedService/UnimplementedCall"));
    check.accept(
        () -> assertEquals(DEADLINE_EXCEEDED, code(results, "timeout_on_sleeping_server")));
    check.accept(() -> failed(results, "oversized_request", RESOURCE_EXHAUSTED, "over the limit"));
    check.accept(
        () -> {
          JsonObject result = results.get("handler_throws");
          assertEquals(UNKNOWN, result.get("code").getAsInt(), result::toString);
          assertTrue(!result.toString().contains("secret"), "a handler's exception must not leak");
        });
    check.accept(
        () -> assertEquals(74922, ok(results, "client_streaming").get("aggregated").getAsInt()));
    check.accept(
        () ->
            assertEquals(
                74922, ok(results, "client_compressed_streaming").get("aggregated").getAsInt()));
    if (http2) {
      check.accept(
          () -> assertEquals(List.of(31415, 9, 2653, 58979), sizes(ok(results, "ping_pong"))));
    } else {
      check.accept(
          () -> failed(results, "ping_pong", UNIMPLEMENTED, "bidi streaming needs HTTP/2"));
    }
    assertAll(checks.stream());
  }

  private static int code(Map<String, JsonObject> results, String name) {
    JsonObject result = results.get(name);
    assertTrue(result != null, () -> "no result for " + name + " in " + results.keySet());
    return result.get("code").getAsInt();
  }

  private static JsonObject ok(Map<String, JsonObject> results, String name) {
    assertEquals(0, code(results, name), () -> results.get(name).toString());
    return results.get(name);
  }

  private static JsonObject failed(
      Map<String, JsonObject> results, String name, int code, String message) {
    JsonObject result = results.get(name);
    assertEquals(code, code(results, name), result::toString);
    assertTrue(
        result.get("message").getAsString().contains(message),
        () -> result + " should say " + message);
    return result;
  }

  private static List<Integer> sizes(JsonObject result) {
    List<Integer> sizes = new ArrayList<>();
    for (JsonElement size : result.getAsJsonArray("sizes")) {
      sizes.add(size.getAsInt());
    }
    return sizes;
  }

  private static String header(JsonObject result, String part, String name) {
    JsonElement value = result.getAsJsonObject(part).get(name);
    return value == null ? null : value.getAsString();
  }
}
