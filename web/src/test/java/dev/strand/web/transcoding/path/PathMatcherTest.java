package dev.strand.web.transcoding.path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Matching requests to templates, with http.proto's decoding of captured segments. */
class PathMatcherTest {
  private final PathMatcher<String> matcher = new PathMatcher<>();

  private void bind(String method, String template) {
    matcher.add(method, PathTemplate.parse(template), method + " " + template);
  }

  private PathMatcher.Found<String> found(String method, String path) {
    return assertInstanceOf(PathMatcher.Found.class, matcher.match(method, path));
  }

  @Test
  void singleSegmentVariable() {
    bind("GET", "/v1/messages/{message_id}");
    PathMatcher.Found<String> f = found("GET", "/v1/messages/123456");
    assertEquals("GET /v1/messages/{message_id}", f.value());
    assertEquals(List.of("123456"), f.values());
  }

  @Test
  void multiSegmentVariableCapturesTheSlashes() {
    bind("GET", "/v1/{name=messages/*}");
    assertEquals(List.of("messages/123456"), found("GET", "/v1/messages/123456").values());
  }

  @Test
  void singleSegmentVariableDecodesEverything() {
    bind("GET", "/v1/books/{book}");
    // All of [-_.~0-9a-zA-Z] is sent as is, the rest encoded; the server decodes it all.
    assertEquals(List.of("a/b c?d%é"), found("GET", "/v1/books/a%2Fb%20c%3Fd%25%C3%A9").values());
  }

  @Test
  void multiSegmentVariableKeepsEncodedSlashes() {
    bind("GET", "/v1/{name=shelves/*/books/*}");
    assertEquals(
        List.of("shelves/s1/books/a%2Fb c"),
        found("GET", "/v1/shelves/s1/books/a%2Fb%20c").values());
    bind("GET", "/files/{path=**}");
    assertEquals(List.of("x/y%2fz/w"), found("GET", "/files/x/y%2fz/w").values());
  }

  @Test
  void doubleStarMatchesZeroOrMoreSegments() {
    bind("GET", "/files/{path=**}");
    assertEquals(List.of("a/b/c"), found("GET", "/files/a/b/c").values());
    assertEquals(List.of("a"), found("GET", "/files/a").values());
    assertEquals(List.of(""), found("GET", "/files").values());
  }

  @Test
  void starMatchesExactlyOneNonEmptySegment() {
    bind("GET", "/v1/{id}");
    assertInstanceOf(PathMatcher.NotFound.class, matcher.match("GET", "/v1/a/b"));
    assertInstanceOf(PathMatcher.NotFound.class, matcher.match("GET", "/v1/"));
    assertInstanceOf(PathMatcher.NotFound.class, matcher.match("GET", "/v1"));
  }

  @Test
  void literalBeatsWildcard() {
    bind("GET", "/v1/shelves/{shelf}");
    bind("GET", "/v1/shelves/default");
    assertEquals("GET /v1/shelves/default", found("GET", "/v1/shelves/default").value());
    assertEquals("GET /v1/shelves/{shelf}", found("GET", "/v1/shelves/other").value());
  }

  @Test
  void backtracksWhenTheLiteralBranchDeadEnds() {
    bind("GET", "/v1/{a}/x");
    bind("GET", "/v1/b/y");
    assertEquals(List.of("b"), found("GET", "/v1/b/x").values());
  }

  @Test
  void customVerb() {
    bind("POST", "/v1/shelves/{shelf}/books/{book}:publish");
    bind("GET", "/v1/shelves/{shelf}/books/{book}");
    PathMatcher.Found<String> f = found("POST", "/v1/shelves/s1/books/b1:publish");
    assertEquals("POST /v1/shelves/{shelf}/books/{book}:publish", f.value());
    assertEquals(List.of("s1", "b1"), f.values());
    // Without a template for the verb, the colon is part of the value.
    assertEquals(List.of("s1", "b1:other"), found("GET", "/v1/shelves/s1/books/b1:other").values());
  }

  @Test
  void verbOnALiteralAndAfterDoubleStar() {
    bind("POST", "/v1/books:batchGet");
    bind("POST", "/v1/{name=**}:undelete");
    assertEquals("POST /v1/books:batchGet", found("POST", "/v1/books:batchGet").value());
    assertEquals(List.of("a/b"), found("POST", "/v1/a/b:undelete").values());
  }

  @Test
  void wrongMethodListsTheAllowedOnes() {
    bind("GET", "/v1/books/{book}");
    bind("DELETE", "/v1/books/{book}");
    PathMatcher.Result<String> r = matcher.match("PUT", "/v1/books/1");
    assertEquals(
        Set.of("DELETE", "GET"), assertInstanceOf(PathMatcher.WrongMethod.class, r).allowed());
  }

  @Test
  void unknownPathIsNotFound() {
    bind("GET", "/v1/books/{book}");
    assertInstanceOf(PathMatcher.NotFound.class, matcher.match("GET", "/v2/books/1"));
    assertInstanceOf(PathMatcher.NotFound.class, matcher.match("GET", "no-slash"));
    assertInstanceOf(PathMatcher.NotFound.class, matcher.match("GET", ""));
  }

  @Test
  void malformedEscapeMatchesNothing() {
    bind("GET", "/v1/books/{book}");
    assertInstanceOf(PathMatcher.NotFound.class, matcher.match("GET", "/v1/books/%zz"));
    assertInstanceOf(PathMatcher.NotFound.class, matcher.match("GET", "/v1/books/%4"));
  }

  @Test
  void encodedLiteralMatchesItsDecodedForm() {
    bind("GET", "/v1/a%20b");
    found("GET", "/v1/a%20b");
  }

  @Test
  void sameShapeConflictsWhateverTheVariableNames() {
    bind("GET", "/v1/books/{book}");
    PathMatcher.ConflictException e =
        assertThrows(PathMatcher.ConflictException.class, () -> bind("GET", "/v1/books/{name}"));
    assertEquals("GET /v1/books/{book}", e.existing());
    assertTrue(e.getMessage().contains("/v1/books/{name}"), e.getMessage());
    // Another method, or another verb, is another binding.
    bind("POST", "/v1/books/{name}");
    bind("GET", "/v1/books/{name}:check");
  }
}
