package dev.strand.web.transcoding.path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** http.proto's template grammar, rule by rule, and the errors for what it does not allow. */
class PathTemplateTest {

  @Test
  void literalsAndSingleVariable() {
    PathTemplate t = PathTemplate.parse("/v1/messages/{message_id}");
    assertEquals(List.of("v1", "messages", "*"), t.segments());
    assertEquals(1, t.variables().size());
    PathTemplate.Variable v = t.variables().get(0);
    assertEquals(List.of("message_id"), v.fieldPath());
    assertEquals(2, v.start());
    assertEquals(3, v.end());
    assertFalse(v.multiSegment());
    assertNull(t.verb());
  }

  @Test
  void variableWithSegmentsIsMultiSegment() {
    PathTemplate t = PathTemplate.parse("/v1/{name=messages/*}");
    assertEquals(List.of("v1", "messages", "*"), t.segments());
    PathTemplate.Variable v = t.variables().get(0);
    assertEquals(1, v.start());
    assertEquals(3, v.end());
    assertTrue(v.multiSegment());
  }

  @Test
  void explicitSingleStarIsTheSameAsNone() {
    assertEquals(
        PathTemplate.parse("/v1/{a}").segments(), PathTemplate.parse("/v1/{a=*}").segments());
    assertFalse(PathTemplate.parse("/v1/{a=*}").variables().get(0).multiSegment());
  }

  @Test
  void doubleStarRunsToTheEnd() {
    PathTemplate t = PathTemplate.parse("/v1/{name=shelves/**}:get");
    assertEquals(PathTemplate.Variable.TO_END, t.variables().get(0).end());
    assertTrue(t.variables().get(0).multiSegment());
    assertEquals("get", t.verb());
    assertTrue(t.endsInMulti());
  }

  @Test
  void nestedFieldPathAndSeveralVariables() {
    PathTemplate t = PathTemplate.parse("/v1/users/{user.id}/messages/{sub.sub_field}");
    assertEquals(List.of("user", "id"), t.variables().get(0).fieldPath());
    assertEquals("sub.sub_field", t.variables().get(1).dottedPath());
  }

  @Test
  void bareWildcardsOutsideVariables() {
    PathTemplate t = PathTemplate.parse("/v1/*/things/**");
    assertEquals(List.of("v1", "*", "things", "**"), t.segments());
    assertTrue(t.variables().isEmpty());
  }

  @Test
  void verb() {
    PathTemplate t = PathTemplate.parse("/v1/shelves/{shelf}/books/{book}:publish");
    assertEquals("publish", t.verb());
    assertEquals("/v1/shelves/{shelf}/books/{book}:publish", t.openApiPath());
  }

  @Test
  void openApiPathShowsAMultiSegmentVariableAsOneParameter() {
    assertEquals("/v1/{name}", PathTemplate.parse("/v1/{name=shelves/*/books/*}").openApiPath());
    assertEquals("/v1/{path}", PathTemplate.parse("/v1/{path=**}").openApiPath());
  }

  @Test
  void errorsSayWhatAndWhere() {
    assertBad("v1/x", "starts with '/'");
    assertBad("", "starts with '/'");
    assertBad("/v1/**/x", "'**' must be the last segment");
    assertBad("/v1/{a={b}}", "must not contain another variable");
    assertBad("/v1/{a", "not closed");
    assertBad("/v1/{}", "expected a field name");
    assertBad("/v1/{1a}", "expected a field name");
    assertBad("/v1//x", "expected a segment");
    assertBad("/v1/x:", "expected a verb");
    assertBad("/v1/{a}/{a}", "bound twice");
    assertBad("/v1/x}", "unexpected '}'");
    assertBad("/", "expected a segment");
  }

  private static void assertBad(String template, String expected) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PathTemplate.parse(template));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertTrue(e.getMessage().contains("'" + template + "'"), e.getMessage());
  }
}
