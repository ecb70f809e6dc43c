package dev.strand.web.transcoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.ByteString;
import com.google.protobuf.Duration;
import com.google.protobuf.FieldMask;
import com.google.protobuf.Int32Value;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;
import dev.strand.testing.FailOnLeaks;
import dev.strand.web.transcoding.testproto.Filter;
import dev.strand.web.transcoding.testproto.Genre;
import dev.strand.web.transcoding.testproto.ListBooksRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every http.proto rule, over HTTP/1.1 from Java's HttpClient, against the library service. */
@ExtendWith(FailOnLeaks.class)
class TranscodingTest {
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

  @Test
  void getWithAMultiSegmentVariable() {
    HttpResponse<String> r = rest.get("/v1/shelves/s1/books/b1");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("application/json", r.headers().firstValue("content-type").orElse(""));
    JsonObject book = Rest.json(r);
    assertEquals("shelves/s1/books/b1", book.get("name").getAsString());
    // ProtoJSON: int64 as a string, enums by name, RFC 3339 timestamps, lowerCamelCase.
    assertEquals("9780000000001", book.get("isbn").getAsString());
    assertTrue(book.get("isbn").getAsJsonPrimitive().isString());
    assertEquals("FICTION", book.get("genre").getAsString());
    assertEquals("2023-11-14T22:13:20.500Z", book.get("published").getAsString());
    assertEquals(300, book.get("pages").getAsInt());
    assertFalse(book.has("draft"), "default values are left out");
  }

  @Test
  void additionalBinding() {
    HttpResponse<String> r = rest.get("/v1/books/b1");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("b1", Rest.json(r).get("name").getAsString());
  }

  @Test
  void singleSegmentVariableIsDecodedInFull() {
    HttpResponse<String> r = rest.get("/v1/books/a%2Fb%20c");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("a/b c", Rest.json(r).get("name").getAsString());
  }

  @Test
  void nestedPathFieldAndDottedQueryParameters() {
    HttpResponse<String> r =
        rest.get("/v1/shelves/s9?revision=7&filter.author=Le%20Guin&filter.genre=HISTORY");
    assertEquals(200, r.statusCode(), r.body());
    JsonObject shelf = Rest.json(r);
    assertEquals("s9", shelf.get("id").getAsString());
    assertEquals("Le Guin/HISTORY", shelf.get("theme").getAsString());
    assertEquals("7", shelf.get("revision").getAsString());
  }

  @Test
  void everyKindOfQueryValue() {
    HttpResponse<String> r =
        rest.get(
            "/v1/shelves/s1/books?pageSize=10&page_token=t1&tags=x&tags=y&genre=2"
                + "&genres=FICTION&genres=3&since=2024-01-02T03:04:05Z&max_age=1.5s"
                + "&read_mask=title,author,published&min_pages=50&extra=hello&include_drafts=true"
                + "&rating=4.5&token_bytes=AQID&filter.author=X&big=18446744073709551615"
                + "&labels=%7B%22a%22%3A1%7D");
    assertEquals(200, r.statusCode(), r.body());
    ListBooksRequest expected =
        ListBooksRequest.newBuilder()
            .setParent("shelves/s1")
            .setPageSize(10)
            .setPageToken("t1")
            .addTags("x")
            .addTags("y")
            .setGenre(Genre.HISTORY)
            .addGenres(Genre.FICTION)
            .addGenres(Genre.SCIENCE)
            .setSince(Timestamp.newBuilder().setSeconds(1704164645))
            .setMaxAge(Duration.newBuilder().setSeconds(1).setNanos(500_000_000))
            .setReadMask(
                FieldMask.newBuilder().addPaths("title").addPaths("author").addPaths("published"))
            .setMinPages(Int32Value.of(50))
            .setExtra(Value.newBuilder().setStringValue("hello"))
            .setIncludeDrafts(true)
            .setRating(4.5)
            .setTokenBytes(ByteString.copyFrom(new byte[] {1, 2, 3}))
            .setFilter(Filter.newBuilder().setAuthor("X"))
            .setBig(-1L)
            .setLabels(
                Struct.newBuilder().putFields("a", Value.newBuilder().setNumberValue(1).build()))
            .build();
    assertEquals(expected.toString(), Rest.json(r).get("requestText").getAsString());
    assertEquals("after-t1", Rest.json(r).get("nextPageToken").getAsString());
  }

  @Test
  void valueFromTheQueryIsJsonWhenItParses() {
    HttpResponse<String> r = rest.get("/v1/shelves/s1/books?extra=%5B1%2C%22two%22%5D");
    assertEquals(200, r.statusCode(), r.body());
    String text = Rest.json(r).get("requestText").getAsString();
    assertTrue(text.contains("list_value"), text);
  }

  @Test
  void postWithABodyField() {
    HttpResponse<String> r =
        rest.send(
            "POST",
            "/v1/shelves/s1/books?request_id=r1",
            "{\"title\":\"Dune\",\"author\":\"Herbert\",\"genre\":\"SCIENCE\",\"pages\":412}");
    assertEquals(200, r.statusCode(), r.body());
    JsonObject book = Rest.json(r);
    assertEquals("shelves/s1/books/r1", book.get("name").getAsString());
    assertEquals("Dune", book.get("title").getAsString());
    assertEquals("SCIENCE", book.get("genre").getAsString());
    assertEquals(412, book.get("pages").getAsInt());
  }

  @Test
  void patchWithAFieldMask() {
    HttpResponse<String> r =
        rest.send(
            "PATCH",
            "/v1/shelves/s1/books/b1?update_mask=title",
            "{\"title\":\"New title\",\"author\":\"not applied\"}");
    assertEquals(200, r.statusCode(), r.body());
    JsonObject book = Rest.json(r);
    assertEquals("shelves/s1/books/b1", book.get("name").getAsString());
    assertEquals("New title", book.get("title").getAsString());
    assertEquals("Old author", book.get("author").getAsString());
  }

  @Test
  void putWithTheWholeBodyAndThePathWins() {
    HttpResponse<String> r =
        rest.send(
            "PUT", "/v1/shelves/s1", "{\"id\":\"other\",\"theme\":\"sf\",\"revision\":\"4\"}");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(
        JsonParser.parseString("{\"id\":\"s1\",\"theme\":\"sf\",\"revision\":\"5\"}"),
        Rest.json(r));
  }

  @Test
  void wholeBodyTakesNoQueryParameters() {
    HttpResponse<String> r = rest.send("PUT", "/v1/shelves/s1?theme=x", "{}");
    assertEquals(400, r.statusCode(), r.body());
    assertTrue(Rest.json(r).get("message").getAsString().contains("theme"), r.body());
  }

  @Test
  void deleteReturnsEmpty() {
    HttpResponse<String> r = rest.send("DELETE", "/v1/shelves/s1/books/b1", null);
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("{}", r.body());
  }

  @Test
  void customVerb() {
    HttpResponse<String> r =
        rest.send("POST", "/v1/shelves/s1/books/b1:publish", "{\"edition\":\"2nd\",\"copies\":3}");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("edition 2nd, 3 copies", Rest.json(r).get("title").getAsString());
    assertEquals("shelves/s1/books/b1", Rest.json(r).get("name").getAsString());
  }

  @Test
  void customMethodAndResponseBody() {
    HttpResponse<String> r = rest.send("SEARCH", "/v1/shelves/s1/books/b1/title", null);
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("\"Title of shelves/s1/books/b1\"", r.body());
  }

  @Test
  void httpBodyResponseWithADoubleStarPath() {
    HttpResponse<String> r = rest.get("/v1/files/docs/a%2Fb/read%20me.txt");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("text/plain; charset=utf-8", r.headers().firstValue("content-type").orElse(""));
    // A multi-segment capture keeps %2F, decodes the rest.
    assertEquals("file docs/a%2Fb/read me.txt", r.body());
  }

  @Test
  void httpBodyStream() {
    HttpResponse<String> r = rest.get("/v1/streams/data.csv");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("text/csv", r.headers().firstValue("content-type").orElse(""));
    assertEquals("data.csv,1\ndata.csv,2\ndata.csv,3\n", r.body());
  }

  @Test
  void httpBodyStreamThatFailsEndsAbruptly() {
    assertThrows(java.io.UncheckedIOException.class, () -> rest.get("/v1/streams/broken"));
    assertEquals(200, rest.get("/v1/books/after-broken-stream").statusCode());
  }

  @Test
  void httpBodyRequest() {
    HttpResponse<byte[]> r =
        rest.sendBytes(
            "POST", "/v1/uploads/pic", new byte[] {(byte) 0x89, 'P', 'N', 'G'}, "image/png");
    assertEquals(200, r.statusCode());
    assertEquals(
        JsonParser.parseString("{\"name\":\"pic\",\"contentType\":\"image/png\",\"size\":\"4\"}"),
        JsonParser.parseString(new String(r.body(), java.nio.charset.StandardCharsets.UTF_8)));
  }

  @Test
  void serverStreamingAsNewlineDelimitedJson() {
    HttpResponse<String> r = rest.get("/v1/shelves/s1/books:watch?count=3");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("application/x-ndjson", r.headers().firstValue("content-type").orElse(""));
    assertEquals(
        "{\"result\":{\"name\":\"shelves/s1/books/1\"}}\n"
            + "{\"result\":{\"name\":\"shelves/s1/books/2\"}}\n"
            + "{\"result\":{\"name\":\"shelves/s1/books/3\"}}\n",
        r.body());
  }

  @Test
  void streamErrorAfterTheFirstMessageIsInBand() {
    HttpResponse<String> r = rest.get("/v1/shelves/s1/books:watch?count=3&fail_after=2");
    assertEquals(200, r.statusCode(), r.body());
    List<String> lines = r.body().lines().toList();
    assertEquals(3, lines.size(), r.body());
    assertEquals(
        JsonParser.parseString("{\"error\":{\"code\":9,\"message\":\"stopped after 2\"}}"),
        JsonParser.parseString(lines.get(2)));
  }

  @Test
  void streamErrorBeforeAnyMessageIsAnHttpError() {
    HttpResponse<String> r = rest.get("/v1/shelves/s1/books:watch?count=3&fail_first=true");
    assertEquals(404, r.statusCode(), r.body());
    assertEquals(5, Rest.json(r).get("code").getAsInt());
  }

  @Test
  void emptyStream() {
    HttpResponse<String> r = rest.get("/v1/shelves/s1/books:watch?count=0");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("", r.body());
  }

  @Test
  void theTracerSeesTranscodedCalls() {
    server.traced.clear();
    HttpResponse<String> r = rest.send("POST", "/v1/echo", "{\"text\":\"traced\"}");
    assertEquals(200, r.statusCode(), r.body());
    // The request message built from the JSON (text = "traced": 8 bytes), and the response.
    assertEquals(
        List.of("Echo started", "Echo in 8", "Echo out 8", "Echo closed 0"), server.traced);
  }

  @Test
  void connectOnTheSamePortKeepsTheMethodPaths() {
    // A Connect unary call (POST application/json at the gRPC path) is Connect's, not REST's.
    HttpResponse<String> r =
        rest.send("POST", "/strand.transcoding.test.Library/GetBook", "{\"name\":\"via-connect\"}");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("via-connect", Rest.json(r).get("name").getAsString());
  }

  @Test
  void interceptorsSeeTranscodedCalls() {
    rest.get("/v1/books/seen-by-interceptor");
    assertTrue(
        server.closed.contains("strand.transcoding.test.Library/GetBook 0"),
        server.closed.toString());
  }
}
