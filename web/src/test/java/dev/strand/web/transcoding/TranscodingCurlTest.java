package dev.strand.web.transcoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.strand.server.Cors;
import dev.strand.testing.FailOnLeaks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** curl against the library, over HTTP/2 (prior knowledge, on the gRPC port) and HTTP/1.1. */
@ExtendWith(FailOnLeaks.class)
class TranscodingCurlTest {
  private static LibraryServer server;

  @BeforeAll
  static void start() throws Exception {
    server = new LibraryServer();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static Curl.Reply curl(String http, String... args) throws Exception {
    String[] all = new String[args.length + 1];
    all[0] = http;
    System.arraycopy(args, 0, all, 1, args.length);
    Curl.Reply reply = Curl.run(all);
    assertEquals(
        http.equals("--http2-prior-knowledge") ? "2" : "1.1", reply.version(), reply.body());
    return reply;
  }

  /**
   * With the server's CORS on, a page on another origin can call the REST API: preflights for POST
   * and for REST's PATCH and DELETE are answered, a GET's response is marked.
   */
  @ParameterizedTest
  @ValueSource(strings = {"--http2-prior-knowledge", "--http1.1"})
  void cors(String http) throws Exception {
    try (LibraryServer withCors =
        new LibraryServer(b -> b.cors(Cors.allowOrigins("https://app.example")))) {
      Curl.Reply preflight =
          curl(
              http,
              "-X",
              "OPTIONS",
              "-H",
              "origin: https://app.example",
              "-H",
              "access-control-request-method: POST",
              "-H",
              "access-control-request-headers: content-type",
              withCors.url("/v1/shelves/s1/books"));
      assertTrue(preflight.status() / 100 == 2, preflight.status() + " " + preflight.body());
      assertTrue(
          preflight.headers().contains("access-control-allow-origin: https://app.example"),
          preflight.headers());
      for (String method : new String[] {"PATCH", "DELETE"}) {
        Curl.Reply rest =
            curl(
                http,
                "-X",
                "OPTIONS",
                "-H",
                "origin: https://app.example",
                "-H",
                "access-control-request-method: " + method,
                withCors.url("/v1/shelves/s1/books/b1"));
        assertEquals(204, rest.status(), method + ": " + rest.body());
        assertTrue(
            rest.headers().contains("access-control-allow-methods: post, get, put, patch, delete"),
            rest.headers());
      }
      Curl.Reply get =
          curl(http, "-H", "origin: https://app.example", withCors.url("/v1/books/b1"));
      assertEquals(200, get.status(), get.body());
      assertTrue(
          get.headers().contains("access-control-allow-origin: https://app.example"),
          get.headers());
      assertEquals(
          "b1", JsonParser.parseString(get.body()).getAsJsonObject().get("name").getAsString());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"--http2-prior-knowledge", "--http1.1"})
  void get(String http) throws Exception {
    Curl.Reply r = curl(http, server.url("/v1/shelves/s1/books/b1"));
    assertEquals(200, r.status(), r.body());
    assertTrue(r.headers().contains("content-type: application/json"), r.headers());
    JsonObject book = JsonParser.parseString(r.body()).getAsJsonObject();
    assertEquals("9780000000001", book.get("isbn").getAsString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"--http2-prior-knowledge", "--http1.1"})
  void postJson(String http) throws Exception {
    Curl.Reply r =
        curl(
            http,
            "-X",
            "POST",
            "-H",
            "content-type: application/json",
            "--data",
            "{\"title\":\"Dune\"}",
            server.url("/v1/shelves/s1/books?request_id=c1"));
    assertEquals(200, r.status(), r.body());
    assertEquals(
        JsonParser.parseString("{\"name\":\"shelves/s1/books/c1\",\"title\":\"Dune\"}"),
        JsonParser.parseString(r.body()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"--http2-prior-knowledge", "--http1.1"})
  void largeBodyInManyPieces(String http) throws Exception {
    String title = "t".repeat(LibraryServer.MAX_MESSAGE_SIZE - 100);
    Curl.Reply r =
        curl(
            http,
            "-X",
            "POST",
            "-H",
            "content-type: application/json",
            "--data-binary",
            "{\"title\":\"" + title + "\"}",
            server.url("/v1/shelves/s1/books?request_id=big"));
    assertEquals(200, r.status(), r.body().substring(0, Math.min(200, r.body().length())));
    assertEquals(
        title, JsonParser.parseString(r.body()).getAsJsonObject().get("title").getAsString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"--http2-prior-knowledge", "--http1.1"})
  void stream(String http) throws Exception {
    Curl.Reply r = curl(http, "-N", server.url("/v1/shelves/s2/books:watch?count=2&fail_after=1"));
    assertEquals(200, r.status(), r.body());
    assertTrue(r.headers().contains("content-type: application/x-ndjson"), r.headers());
    assertEquals(
        "{\"result\":{\"name\":\"shelves/s2/books/1\"}}\n"
            + "{\"error\":{\"code\":9,\"message\":\"stopped after 1\"}}\n",
        r.body());
  }

  @ParameterizedTest
  @ValueSource(strings = {"--http2-prior-knowledge", "--http1.1"})
  void errors(String http) throws Exception {
    assertEquals(404, curl(http, server.url("/v1/nowhere")).status());
    assertEquals(405, curl(http, "-X", "DELETE", server.url("/v1/books/b1")).status());
    // A malformed escape in the path matches no template.
    assertEquals(404, curl(http, server.url("/v1/books/%zz")).status());
    Curl.Reply badEscape = curl(http, server.url("/v1/shelves/s1/books?page_token=%zz"));
    assertEquals(400, badEscape.status(), badEscape.body());
    assertTrue(badEscape.body().contains("malformed query"), badEscape.body());
    Curl.Reply huge =
        curl(
            http,
            "-X",
            "POST",
            "-H",
            "content-type: application/json",
            "--data-binary",
            "{\"title\":\"" + "x".repeat(LibraryServer.MAX_MESSAGE_SIZE) + "\"}",
            server.url("/v1/shelves/s1/books"));
    assertEquals(413, huge.status(), huge.body());
    // The connection and server carry on.
    assertEquals(200, curl(http, server.url("/v1/books/after")).status());
  }
}
