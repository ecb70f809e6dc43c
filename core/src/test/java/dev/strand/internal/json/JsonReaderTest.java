package dev.strand.internal.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 8259 in, plain Java values out; everything else refused with where and why. */
class JsonReaderTest {

  private static JsonException refused(String text) {
    return assertThrows(JsonException.class, () -> JsonReader.parse(text), text);
  }

  @Test
  void everyKindOfValue() {
    Object value =
        JsonReader.parse(
            "{\"s\": \"text\", \"n\": -12.5e1, \"t\": true, \"f\": false, \"z\": null,"
                + " \"a\": [1, [], {}], \"o\": {\"k\": \"v\"}}");
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("s", "text");
    expected.put("n", -125.0);
    expected.put("t", true);
    expected.put("f", false);
    expected.put("z", null);
    expected.put("a", List.of(1.0, List.of(), Map.of()));
    expected.put("o", Map.of("k", "v"));
    assertEquals(expected, value);
  }

  @Test
  void objectMembersKeepTheirOrder() {
    @SuppressWarnings("unchecked")
    Map<String, Object> object =
        (Map<String, Object>) JsonReader.parse("{\"b\":1,\"a\":2,\"c\":3}");
    assertEquals(List.of("b", "a", "c"), List.copyOf(object.keySet()));
  }

  @Test
  void anyValueMayBeTheWholeText() {
    assertEquals("x", JsonReader.parse(" \"x\" "));
    assertEquals(3.0, JsonReader.parse("3"));
    assertEquals(true, JsonReader.parse("\ttrue\r\n"));
    assertNull(JsonReader.parse("null"));
  }

  @Test
  void whatItReturnsCannotBeChanged() {
    Object object = JsonReader.parse("{\"a\": [1]}");
    assertThrows(UnsupportedOperationException.class, () -> castMap(object).put("b", 2.0));
    assertThrows(
        UnsupportedOperationException.class, () -> ((List<?>) castMap(object).get("a")).clear());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Object o) {
    return (Map<String, Object>) o;
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "0 | 0.0",
        "-0 | -0.0",
        "7 | 7.0",
        "-7 | -7.0",
        "1.5 | 1.5",
        "1e3 | 1000.0",
        "1E+3 | 1000.0",
        "25e-1 | 2.5",
        "0.001 | 0.001",
        "123456789012 | 123456789012.0",
        "1e-400 | 0.0"
      })
  void numbers(String text, double expected) {
    assertEquals(expected, JsonReader.parse(text));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"01", "-", "+1", "1.", ".5", "1e", "1e+", "0x10", "NaN", "Infinity", "-Infinity"})
  void notNumbers(String text) {
    refused(text);
  }

  @Test
  void numberTooLargeForADouble() {
    JsonException e = refused("[1e400]");
    assertEquals("line 1, column 2: number too large for a double: 1e400", e.getMessage());
  }

  @Test
  void escapes() {
    assertEquals(
        "\" \\ / \b \f \n \r \t é",
        JsonReader.parse("\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9\""));
    assertEquals("ÀÀ", JsonReader.parse("\"\\u00C0\\u00c0\""));
    assertEquals("a\u0000b", JsonReader.parse("\"a\\u0000b\""));
  }

  @Test
  void surrogatePairs() {
    // U+1F600 escaped as its two UTF-16 units, and written raw.
    assertEquals("\uD83D\uDE00", JsonReader.parse("\"\\uD83D\\uDE00\""));
    assertEquals("x\uD83D\uDE00y", JsonReader.parse("\"x\uD83D\uDE00y\""));
    assertEquals(0x1F600, ((String) JsonReader.parse("\"\\ud83d\\ude00\"")).codePointAt(0));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\"\\uD83D\"", // high alone
        "\"\\uD83Dx\"", // high, then not an escape
        "\"\\uD83D\\n\"", // high, then another escape
        "\"\\uD83D\\uD83D\"", // high, high
        "\"\\uDE00\"", // low alone
        "\"\uD83D\"", // raw high alone
        "\"\uDE00\"" // raw low alone
      })
  void loneSurrogatesAreRefused(String text) {
    assertTrue(refused(text).getMessage().contains("unpaired surrogate"), text);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\"\\x\"",
        "\"\\u12\"",
        "\"\\u12g4\"",
        "\"\\u０１２３\"",
        "\"\\'\"",
        "\"abc",
        "\"\\",
        "'a'"
      })
  void badStrings(String text) {
    refused(text);
  }

  @Test
  void rawControlCharactersMustBeEscaped() {
    JsonException e = refused("\"a\nb\"");
    assertEquals(
        "line 1, column 3: control character U+000A must be escaped in a string", e.getMessage());
  }

  @Test
  void duplicateMemberNamesAreRefused() {
    JsonException e = refused("{\"a\": 1,\n \"a\": 2}");
    assertEquals("line 2, column 2: duplicate member name \"a\" in one object", e.getMessage());
    assertEquals(2, e.line());
    assertEquals(2, e.column());
    // The same name in different objects is fine, and escapes are compared decoded.
    JsonReader.parse("{\"a\": {\"a\": 1}, \"b\": {\"a\": 2}}");
    refused("{\"a\": 1, \"\\u0061\": 2}");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "   ",
        "{",
        "[",
        "[1,]",
        "[,1]",
        "{\"a\":1,}",
        "{,}",
        "{\"a\"}",
        "{\"a\" 1}",
        "{a:1}",
        "{1:1}",
        "[1 2]",
        "tru",
        "True",
        "nul",
        "truex",
        "[] []",
        "{} x",
        "// comment\n{}",
        "{} /* comment */",
        "\uFEFF{}",
        "[\u00A0]"
      })
  void notJson(String text) {
    refused(text);
  }

  @Test
  void errorsSayWhereAndWhat() {
    assertEquals(
        "line 3, column 8: unexpected '}', expected a value",
        refused("{\n  \"a\": 1,\n  \"b\": }").getMessage());
    assertEquals(
        "line 1, column 9: unexpected end of input, expected ',' or '}' after an object member",
        refused("{\"a\": 1 ").getMessage());
    assertEquals(
        "line 1, column 7: unexpected ']', expected a value", refused("[1, 2,]").getMessage());
    assertEquals(
        "line 1, column 4: unexpected 'x' after the JSON value", refused("{} x").getMessage());
    assertEquals(
        "line 1, column 1: unexpected character U+FEFF, expected a value",
        refused("\uFEFF{}").getMessage());
  }

  @Test
  void nestingIsBounded() {
    String deepest = "[".repeat(JsonReader.MAX_DEPTH) + "1" + "]".repeat(JsonReader.MAX_DEPTH);
    JsonReader.parse(deepest);
    JsonException e =
        refused("[".repeat(JsonReader.MAX_DEPTH + 1) + "]".repeat(JsonReader.MAX_DEPTH + 1));
    assertTrue(e.getMessage().contains("nested deeper than 64"), e.getMessage());
    // Far deeper than any stack would take, refused just as quickly.
    char[] open = new char[1_000_000];
    Arrays.fill(open, '{');
    refused("{\"a\":".repeat(100_000));
    refused(new String(open));
  }
}
