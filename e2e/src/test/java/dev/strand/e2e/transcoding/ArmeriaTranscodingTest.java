package dev.strand.e2e.transcoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.linecorp.armeria.server.grpc.GrpcService;
import dev.strand.examples.bookshop.BookshopServer;
import dev.strand.examples.bookshop.BookshopService;
import dev.strand.server.Server;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The same REST requests to the example bookshop served by Strand's transcoding and by Armeria's
 * (armeria-grpc 1.33.4, over the same service logic): the same HTTP status and the same JSON (field
 * names, int64 as strings, enums, timestamps). Differences are in docs/TRANSCODING.md.
 */
class ArmeriaTranscodingTest {
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private Server strand;
  private com.linecorp.armeria.server.Server armeria;

  @BeforeEach
  void start() throws Exception {
    strand = BookshopServer.start("127.0.0.1", 0);
    armeria =
        com.linecorp.armeria.server.Server.builder()
            .port(
                new InetSocketAddress("127.0.0.1", 0),
                com.linecorp.armeria.common.SessionProtocol.HTTP)
            .service(
                GrpcService.builder()
                    .addService(new GrpcJavaBookshop(BookshopService.withSampleBooks()))
                    .enableHttpJsonTranscoding(true)
                    .build())
            .build();
    armeria.start().join();
  }

  @AfterEach
  void stop() {
    strand.close();
    armeria.stop().join();
  }

  private HttpResponse<String> send(int port, String method, String path, String body)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(20));
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("content-type", "application/json");
      request.method(method, HttpRequest.BodyPublishers.ofString(body));
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      value = {
        "GET | /v1/shelves/fiction/books/dune | -",
        "GET | /v1/shelves/fiction/books?page_size=2 | -",
        "GET | /v1/shelves/fiction/books?page_size=1&page_token=dune | -",
        "POST | /v1/shelves/science/books | {\"id\":\"b7\",\"title\":\"Kindred\",\"isbn\":\"9780807083697\"}",
        "PATCH | /v1/shelves/fiction/books/dune?update_mask=pages | {\"pages\":500,\"title\":\"x\"}",
        "DELETE | /v1/shelves/fiction/books/earthsea | -",
      })
  void sameJsonForTheSameRequest(String method, String path, String body) throws Exception {
    HttpResponse<String> ours = send(strand.port(), method, path, body);
    HttpResponse<String> theirs = send(armeria.activeLocalPort(), method, path, body);
    assertEquals(theirs.statusCode(), ours.statusCode(), ours.body() + " vs " + theirs.body());
    assertEquals(
        json(theirs), json(ours), "Strand: " + ours.body() + "\nArmeria: " + theirs.body());
  }

  @Test
  void createThenPublish() throws Exception {
    for (String step :
        new String[] {
          "POST /v1/shelves/fiction/books {\"id\":\"kindred\",\"title\":\"Kindred\"}",
          "POST /v1/shelves/fiction/books/kindred:publish {\"publishTime\":\"2001-02-03T04:05:06.789Z\"}",
          "GET /v1/shelves/fiction/books/kindred -"
        }) {
      String[] parts = step.split(" ", 3);
      String body = parts[2].equals("-") ? null : parts[2];
      HttpResponse<String> ours = send(strand.port(), parts[0], parts[1], body);
      HttpResponse<String> theirs = send(armeria.activeLocalPort(), parts[0], parts[1], body);
      assertEquals(200, ours.statusCode(), ours.body());
      assertEquals(theirs.statusCode(), ours.statusCode(), theirs.body());
      assertEquals(json(theirs), json(ours), step);
    }
  }

  /** What differs, as docs/TRANSCODING.md lists it. */
  @Test
  void differences() throws Exception {
    // Query names: Strand takes JSON names too (as grpc-gateway does); Armeria ignores them.
    String path = "/v1/shelves/fiction/books?pageSize=1";
    assertEquals(
        1,
        json(send(strand.port(), "GET", path, null))
            .getAsJsonObject()
            .getAsJsonArray("books")
            .size());
    assertEquals(
        3,
        json(send(armeria.activeLocalPort(), "GET", path, null))
            .getAsJsonObject()
            .getAsJsonArray("books")
            .size());
    // Error bodies: Armeria adds the code's name as "grpc-code"; Strand's is google.rpc.Status.
    String missing = "/v1/shelves/fiction/books/nope";
    JsonObject ours = json(send(strand.port(), "GET", missing, null)).getAsJsonObject();
    JsonObject theirs =
        json(send(armeria.activeLocalPort(), "GET", missing, null)).getAsJsonObject();
    assertEquals("NOT_FOUND", theirs.get("grpc-code").getAsString());
    assertFalse(ours.has("grpc-code"));
    theirs.remove("grpc-code");
    assertEquals(theirs, ours);
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      value = {
        "GET | /v1/shelves/fiction/books/nope | -",
        "GET | /v1/shelves/nowhere/books | -",
        "POST | /v1/shelves/fiction/books/dune:publish | {}",
        "POST | /v1/shelves/fiction/books | {\"id\":\"dune\",\"title\":\"Dune\"}",
      })
  void sameStatusForTheSameError(String method, String path, String body) throws Exception {
    HttpResponse<String> ours = send(strand.port(), method, path, body);
    HttpResponse<String> theirs = send(armeria.activeLocalPort(), method, path, body);
    assertEquals(theirs.statusCode(), ours.statusCode(), ours.body() + " vs " + theirs.body());
    JsonElement mine = json(ours);
    JsonElement other = json(theirs);
    assertEquals(
        other.getAsJsonObject().get("code"),
        mine.getAsJsonObject().get("code"),
        ours.body() + " vs " + theirs.body());
    assertEquals(
        other.getAsJsonObject().get("message"),
        mine.getAsJsonObject().get("message"),
        ours.body() + " vs " + theirs.body());
  }

  private static JsonElement json(HttpResponse<String> response) {
    return JsonParser.parseString(response.body());
  }
}
