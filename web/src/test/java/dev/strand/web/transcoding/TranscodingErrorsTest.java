package dev.strand.web.transcoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.strand.Metadata;
import dev.strand.testing.FailOnLeaks;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every error a transcoded request can meet: the call's status mapped to HTTP (code.proto), bad
 * input refused with a status that names what was wrong, and the server healthy after each.
 */
@ExtendWith(FailOnLeaks.class)
class TranscodingErrorsTest {
  private static LibraryServer server;
  private static Rest rest;

  @BeforeAll
  static void start() throws Exception {
    server = new LibraryServer();
    rest = new Rest(server);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @AfterEach
  void stillHealthy() {
    assertEquals(200, rest.get("/v1/books/healthy").statusCode());
  }

  @ParameterizedTest(name = "gRPC {0} is HTTP {1}")
  @CsvSource({
    "1, 499", "2, 500", "3, 400", "4, 504", "5, 404", "6, 409", "7, 403", "8, 429", "9, 400",
    "10, 409", "11, 400", "12, 501", "13, 500", "14, 503", "15, 500", "16, 401"
  })
  void statusMapsToHttp(int code, int http) {
    HttpResponse<String> r = rest.get("/v1/errors/" + code + "?message=went%20wrong");
    assertEquals(http, r.statusCode(), r.body());
    assertEquals("application/json", r.headers().firstValue("content-type").orElse(""));
    JsonObject status = Rest.json(r);
    assertEquals(code, status.get("code").getAsInt());
    assertEquals("went wrong", status.get("message").getAsString());
  }

  @Test
  void detailsAreJsonWithTheirTypeUrls() {
    HttpResponse<String> r = rest.get("/v1/errors/7?message=no&with_details=true");
    assertEquals(403, r.statusCode(), r.body());
    JsonObject detail = Rest.json(r).getAsJsonArray("details").get(0).getAsJsonObject();
    assertEquals("type.googleapis.com/google.rpc.ErrorInfo", detail.get("@type").getAsString());
    assertEquals("TEST_REASON", detail.get("reason").getAsString());
    assertEquals("strand.dev", detail.get("domain").getAsString());
    assertEquals("value", detail.getAsJsonObject("metadata").get("key").getAsString());
    assertTrue(r.headers().firstValue("grpc-status-details-bin").isEmpty(), "the body has them");
  }

  @Test
  void handlerNotFound() {
    HttpResponse<String> r = rest.get("/v1/shelves/s1/books/missing");
    assertEquals(404, r.statusCode(), r.body());
    assertEquals("no book shelves/s1/books/missing", Rest.json(r).get("message").getAsString());
  }

  @Test
  void handlerExceptionIsTheServersUnknown() {
    HttpResponse<String> r = rest.get("/v1/books/boom");
    assertEquals(500, r.statusCode(), r.body());
    assertEquals(2, Rest.json(r).get("code").getAsInt());
    assertTrue(!r.body().contains("secret"), r.body());
    assertTrue(
        server.closed.contains("strand.transcoding.test.Library/GetBook 2"),
        server.closed.toString());
  }

  @Test
  void unknownPathIs404() {
    HttpResponse<String> r = rest.get("/v2/nothing/here");
    assertEquals(404, r.statusCode(), r.body());
    assertEquals(5, Rest.json(r).get("code").getAsInt());
    assertTrue(
        Rest.json(r).get("message").getAsString().contains("GET /v2/nothing/here"), r.body());
  }

  @Test
  void methodWithoutARuleIsNotExposed() {
    // Library.Hidden has no rule: no REST path leads to it and the document does not list it.
    // Its own gRPC path is left to gRPC and Connect.
    assertEquals(404, rest.get("/v1/hidden").statusCode());
    String openApi = rest.get("/openapi.json").body();
    assertTrue(openApi.contains("Library_GetBook"), "the document lists the methods with rules");
    assertTrue(!openApi.contains("Library_Hidden"), "and only those");
  }

  @Test
  void wrongMethodIs405WithAllow() {
    HttpResponse<String> r = rest.send("POST", "/v1/books/b1", "{}");
    assertEquals(405, r.statusCode(), r.body());
    assertEquals("GET", r.headers().firstValue("allow").orElse(""));
    assertEquals(12, Rest.json(r).get("code").getAsInt());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "malformed JSON | {\"title\": | malformed JSON",
        "trailing garbage | {\"title\":\"a\"} x | malformed JSON",
        "wrong type names the field | {\"pages\":\"many\"} | book",
        "unknown field named | {\"nope\":1} | nope",
        "not an object for body * | [1] | JSON",
      })
  void badJsonBodyIs400(String name, String body, String expected) {
    String path =
        name.contains("body *") ? "/v1/shelves/s1/books/b1:publish" : "/v1/shelves/s1/books";
    HttpResponse<String> r = rest.send("POST", path, body);
    assertEquals(400, r.statusCode(), r.body());
    assertEquals(3, Rest.json(r).get("code").getAsInt());
    assertTrue(Rest.json(r).get("message").getAsString().contains(expected), r.body());
  }

  @Test
  void wrongTypeInAWholeBodyNamesTheField() {
    HttpResponse<String> r =
        rest.send("POST", "/v1/shelves/s1/books/b1:publish", "{\"copies\":\"x\"}");
    assertEquals(400, r.statusCode(), r.body());
    assertTrue(Rest.json(r).get("message").getAsString().contains("'copies'"), r.body());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "page_size=abc | page_size",
        "nope=1 | nope",
        "genre=POETRY | genre",
        "page_size=1&page_size=2 | page_size",
        "since=yesterday | since",
        "max_age=forever | max_age",
        "include_drafts=maybe | include_drafts",
        "filter=x | filter",
        "labels=notjson | labels",
        "parent=x | bound by the path",
      })
  void badQueryValueIs400NamingTheParameter(String query, String expected) {
    HttpResponse<String> r = rest.get("/v1/shelves/s1/books?" + query);
    assertEquals(400, r.statusCode(), r.body());
    assertEquals(3, Rest.json(r).get("code").getAsInt());
    assertTrue(Rest.json(r).get("message").getAsString().contains(expected), r.body());
  }

  @Test
  void bodyFieldNotInTheQuery() {
    HttpResponse<String> r = rest.send("POST", "/v1/shelves/s1/books?book.title=x", "{}");
    assertEquals(400, r.statusCode(), r.body());
    assertTrue(Rest.json(r).get("message").getAsString().contains("in the body"), r.body());
  }

  @Test
  void bodyNotJsonIs415() {
    HttpResponse<String> r =
        rest.send("POST", "/v1/shelves/s1/books", "title=x", "content-type", "text/plain");
    assertEquals(415, r.statusCode(), r.body());
  }

  @Test
  void bodyOverTheLimitIs413() {
    String big = "{\"title\":\"" + "x".repeat(LibraryServer.MAX_MESSAGE_SIZE) + "\"}";
    HttpResponse<String> r = rest.send("POST", "/v1/shelves/s1/books", big);
    assertEquals(413, r.statusCode(), r.body());
    assertEquals(8, Rest.json(r).get("code").getAsInt());
  }

  @Test
  void clientStreamingMethodIs501() {
    HttpResponse<String> r = rest.send("POST", "/v1/books:import", "{}");
    assertEquals(501, r.statusCode(), r.body());
    assertEquals(12, Rest.json(r).get("code").getAsInt());
  }

  @Test
  void serverDeadlineIs504() {
    HttpResponse<String> r = rest.get("/v1/errors/5?sleep_millis=3000", "grpc-timeout", "200m");
    assertEquals(504, r.statusCode(), r.body());
    assertEquals(4, Rest.json(r).get("code").getAsInt());
  }

  @Test
  void badGrpcTimeoutIsGrpcsOwnAnswer() {
    HttpResponse<String> r = rest.get("/v1/books/b1", "grpc-timeout", "soon");
    assertEquals(500, r.statusCode(), r.body());
    assertEquals(13, Rest.json(r).get("code").getAsInt());
  }

  @Test
  void headersBecomeMetadataAndMetadataBecomesHeaders() {
    HttpResponse<String> r =
        rest.send(
            "POST",
            "/v1/echo",
            "{\"text\":\"hi\"}",
            "x-custom",
            "custom value",
            "authorization",
            "Bearer t0ken",
            "x-reply-header",
            "h1",
            "x-reply-trailer",
            "t1");
    assertEquals(200, r.statusCode(), r.body());
    Metadata seen = server.lastHeaders.get();
    assertEquals("custom value", seen.get("x-custom"));
    assertEquals("Bearer t0ken", seen.get("authorization"));
    assertEquals(null, seen.get("content-type"));
    assertEquals(null, seen.get("content-length"));
    assertEquals("h1", r.headers().firstValue("x-header").orElse(""));
    assertEquals("t1", r.headers().firstValue("x-trailer").orElse(""));
    assertTrue(r.headers().firstValue("grpc-status").isEmpty(), r.headers().map().toString());
    assertEquals(Map.of("text", "hi"), Map.of("text", Rest.json(r).get("text").getAsString()));
  }
}
