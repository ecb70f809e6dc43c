package dev.strand.examples.bookshop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.strand.client.Channel;
import dev.strand.client.ManagedChannel;
import dev.strand.server.Server;
import dev.strand.testing.FailOnLeaks;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The bookshop's REST surface, as its users call it: Java's HttpClient and curl, next to a gRPC
 * client on the same port seeing the same books.
 */
@ExtendWith(FailOnLeaks.class)
class BookshopRestTest {
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private Server server;

  @BeforeEach
  void start() throws IOException {
    server = BookshopServer.start("127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private String url(String path) {
    return "http://127.0.0.1:" + server.port() + path;
  }

  private HttpResponse<String> send(String method, String path, String json) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(20));
    if (json == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("content-type", "application/json");
      request.method(method, HttpRequest.BodyPublishers.ofString(json));
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject json(HttpResponse<String> r) {
    return JsonParser.parseString(r.body()).getAsJsonObject();
  }

  @Test
  void getABook() throws Exception {
    HttpResponse<String> r = send("GET", "/v1/shelves/fiction/books/dune", null);
    assertEquals(200, r.statusCode(), r.body());
    JsonObject book = json(r);
    assertEquals("Dune", book.get("title").getAsString());
    assertEquals("9780441013593", book.get("isbn").getAsString());
    assertEquals("PUBLISHED", book.get("state").getAsString());
    assertEquals("2020-09-13T12:26:40Z", book.get("publishTime").getAsString());
  }

  @Test
  void listPageByPage() throws Exception {
    HttpResponse<String> first = send("GET", "/v1/shelves/fiction/books?page_size=2", null);
    assertEquals(200, first.statusCode(), first.body());
    JsonArray books = json(first).getAsJsonArray("books");
    assertEquals(2, books.size());
    String token = json(first).get("nextPageToken").getAsString();
    HttpResponse<String> second =
        send("GET", "/v1/shelves/fiction/books?page_size=2&page_token=" + token, null);
    assertEquals(1, json(second).getAsJsonArray("books").size());
    assertFalse(json(second).has("nextPageToken"), second.body());
  }

  @Test
  void createUpdatePublishDelete() throws Exception {
    HttpResponse<String> created =
        send("POST", "/v1/shelves/fiction/books", "{\"id\":\"kindred\",\"title\":\"Kindred\"}");
    assertEquals(200, created.statusCode(), created.body());
    assertEquals("DRAFT", json(created).get("state").getAsString());

    HttpResponse<String> patched =
        send(
            "PATCH",
            "/v1/shelves/fiction/books/kindred?update_mask=author,pages",
            "{\"author\":\"Octavia E. Butler\",\"pages\":264,\"title\":\"not applied\"}");
    assertEquals(200, patched.statusCode(), patched.body());
    assertEquals("Octavia E. Butler", json(patched).get("author").getAsString());
    assertEquals("Kindred", json(patched).get("title").getAsString());

    HttpResponse<String> published =
        send(
            "POST",
            "/v1/shelves/fiction/books/kindred:publish",
            "{\"publishTime\":\"1979-06-01T00:00:00Z\"}");
    assertEquals(200, published.statusCode(), published.body());
    assertEquals("PUBLISHED", json(published).get("state").getAsString());
    assertEquals("1979-06-01T00:00:00Z", json(published).get("publishTime").getAsString());

    // The same book through gRPC, on the same port.
    try (ManagedChannel channel = Channel.to("127.0.0.1", server.port()).plaintext().build()) {
      Book viaGrpc =
          Bookshop.client(channel)
              .getBook(GetBookRequest.newBuilder().setShelf("fiction").setBook("kindred").build());
      assertEquals(264, viaGrpc.getPages());
    }

    assertEquals(200, send("DELETE", "/v1/shelves/fiction/books/kindred", null).statusCode());
    HttpResponse<String> gone = send("GET", "/v1/shelves/fiction/books/kindred", null);
    assertEquals(404, gone.statusCode(), gone.body());
    assertEquals(5, json(gone).get("code").getAsInt());
  }

  @Test
  void errorsAreStatusJson() throws Exception {
    HttpResponse<String> again =
        send("POST", "/v1/shelves/fiction/books", "{\"id\":\"dune\",\"title\":\"Dune\"}");
    assertEquals(409, again.statusCode(), again.body());
    HttpResponse<String> twice = send("POST", "/v1/shelves/fiction/books/dune:publish", "{}");
    assertEquals(400, twice.statusCode(), twice.body());
    assertEquals(9, json(twice).get("code").getAsInt());
    HttpResponse<String> badPage = send("GET", "/v1/shelves/fiction/books?page_size=1000", null);
    assertEquals(400, badPage.statusCode(), badPage.body());
    HttpResponse<String> badValue = send("GET", "/v1/shelves/fiction/books?page_size=ten", null);
    assertEquals(400, badValue.statusCode(), badValue.body());
    assertTrue(json(badValue).get("message").getAsString().contains("page_size"), badValue.body());
  }

  @Test
  void curlOverHttp2AndHttp1() throws Exception {
    for (String version : List.of("--http2-prior-knowledge", "--http1.1")) {
      String out = curl(version, "-N", url("/v1/shelves/fiction/books:watch"));
      List<String> lines = out.lines().toList();
      assertEquals(3, lines.size(), out);
      assertEquals(
          "Dune",
          JsonParser.parseString(lines.get(0))
              .getAsJsonObject()
              .getAsJsonObject("result")
              .get("title")
              .getAsString());
      String created =
          curl(
              version,
              "-X",
              "POST",
              "-H",
              "content-type: application/json",
              "-d",
              "{\"title\":\"Made by curl " + version + "\"}",
              url("/v1/shelves/science/books"));
      assertTrue(created.contains("\"state\":\"DRAFT\""), created);
    }
  }

  private static String curl(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("curl", "-sS", "--max-time", "20"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = process.getInputStream().readAllBytes();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("curl did not finish");
    }
    assertEquals(0, process.exitValue(), new String(out, StandardCharsets.UTF_8));
    return new String(out, StandardCharsets.UTF_8);
  }
}
