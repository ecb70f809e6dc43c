package dev.strand.internal.json;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict RFC 8259 reader: JSON text into plain Java values, for configuration (the service
 * config) rather than for traffic. An object becomes a {@code Map<String, Object>} in the order of
 * its members, an array a {@code List<Object>}, a string a {@code String}, a number a {@code
 * Double}, {@code true}/{@code false} a {@code Boolean} and {@code null} null. What it returns is
 * unmodifiable.
 *
 * <p>Strict means that what RFC 8259 leaves to the reader is refused, so a config does not mean one
 * thing here and another elsewhere: a repeated member name in one object (RFC 8259 §4 says names
 * SHOULD be unique and readers disagree on which one wins), an escaped or raw lone surrogate (it
 * names no character), a number too large for a double; and what is not JSON at all is refused too:
 * comments, trailing commas, single quotes, leading zeros, {@code NaN}, a byte order mark, anything
 * after the value. Nesting is bounded ({@link #MAX_DEPTH}), so hostile input cannot exhaust the
 * stack. Every error is a {@link JsonException} saying where (line, column) and what was expected.
 */
public final class JsonReader {
  /** Arrays and objects nested deeper than this are refused. */
  public static final int MAX_DEPTH = 64;

  private final String text;
  private int pos;

  private JsonReader(String text) {
    this.text = text;
  }

  /** The value {@code text} holds: one JSON value, with only whitespace around it. */
  public static Object parse(String text) {
    JsonReader reader = new JsonReader(text);
    reader.skipWhitespace();
    Object value = reader.value(0);
    reader.skipWhitespace();
    if (reader.pos < text.length()) {
      throw reader.error("unexpected " + reader.describeNext() + " after the JSON value");
    }
    return value;
  }

  private Object value(int depth) {
    if (pos >= text.length()) {
      throw error("unexpected end of input, expected a value");
    }
    char c = text.charAt(pos);
    switch (c) {
      case '{':
        return object(depth + 1);
      case '[':
        return array(depth + 1);
      case '"':
        return string();
      case 't':
        return literal("true", Boolean.TRUE);
      case 'f':
        return literal("false", Boolean.FALSE);
      case 'n':
        return literal("null", null);
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw error("unexpected " + describeNext() + ", expected a value");
    }
  }

  private Map<String, Object> object(int depth) {
    checkDepth(depth);
    pos++; // '{'
    Map<String, Object> members = new LinkedHashMap<>();
    skipWhitespace();
    if (peek() == '}') {
      pos++;
      return Collections.unmodifiableMap(members);
    }
    while (true) {
      skipWhitespace();
      if (peek() != '"') {
        throw error("unexpected " + describeNext() + ", expected a member name in double quotes");
      }
      int keyStart = pos;
      String key = string();
      if (members.containsKey(key)) {
        pos = keyStart;
        throw error("duplicate member name \"" + key + "\" in one object");
      }
      skipWhitespace();
      expect(':', "after a member name");
      skipWhitespace();
      members.put(key, value(depth));
      skipWhitespace();
      char next = peek();
      if (next == ',') {
        pos++;
      } else if (next == '}') {
        pos++;
        return Collections.unmodifiableMap(members);
      } else {
        throw error(
            "unexpected " + describeNext() + ", expected ',' or '}' after an object member");
      }
    }
  }

  private List<Object> array(int depth) {
    checkDepth(depth);
    pos++; // '['
    List<Object> elements = new ArrayList<>();
    skipWhitespace();
    if (peek() == ']') {
      pos++;
      return Collections.unmodifiableList(elements);
    }
    while (true) {
      skipWhitespace();
      elements.add(value(depth));
      skipWhitespace();
      char next = peek();
      if (next == ',') {
        pos++;
      } else if (next == ']') {
        pos++;
        return Collections.unmodifiableList(elements);
      } else {
        throw error(
            "unexpected " + describeNext() + ", expected ',' or ']' after an array element");
      }
    }
  }

  private void checkDepth(int depth) {
    if (depth > MAX_DEPTH) {
      throw error("arrays and objects nested deeper than " + MAX_DEPTH);
    }
  }

  private String string() {
    pos++; // the opening quote
    int start = pos;
    // Most strings have no escape: cut them out of the text as they are.
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c == '"') {
        return text.substring(start, pos++);
      }
      if (c == '\\' || c < 0x20 || Character.isSurrogate(c)) {
        break;
      }
      pos++;
    }
    StringBuilder out = new StringBuilder(pos - start + 16).append(text, start, pos);
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c == '"') {
        pos++;
        return out.toString();
      }
      if (c == '\\') {
        escape(out);
      } else if (c < 0x20) {
        throw error("control character " + codePoint(c) + " must be escaped in a string");
      } else if (Character.isHighSurrogate(c)) {
        if (pos + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(pos + 1))) {
          throw error("unpaired surrogate " + codePoint(c) + " in a string");
        }
        out.append(c).append(text.charAt(pos + 1));
        pos += 2;
      } else if (Character.isLowSurrogate(c)) {
        throw error("unpaired surrogate " + codePoint(c) + " in a string");
      } else {
        out.append(c);
        pos++;
      }
    }
    throw error("unexpected end of input in a string");
  }

  /** One escape sequence at {@code pos} (the backslash), appended decoded. */
  private void escape(StringBuilder out) {
    if (pos + 1 >= text.length()) {
      throw error("unexpected end of input in an escape sequence");
    }
    char c = text.charAt(pos + 1);
    switch (c) {
      case '"', '\\', '/' -> out.append(c);
      case 'b' -> out.append('\b');
      case 'f' -> out.append('\f');
      case 'n' -> out.append('\n');
      case 'r' -> out.append('\r');
      case 't' -> out.append('\t');
      case 'u' -> {
        char unit = hex4(pos + 2);
        if (Character.isHighSurrogate(unit)) {
          // A character beyond the BMP is written as two escapes, high then low (RFC 8259 §7).
          int low = pos + 6;
          if (low + 1 >= text.length()
              || text.charAt(low) != '\\'
              || text.charAt(low + 1) != 'u'
              || !Character.isLowSurrogate(hex4(low + 2))) {
            throw error("unpaired surrogate " + codePoint(unit) + " in a string");
          }
          out.append(unit).append(hex4(low + 2));
          pos += 12;
          return;
        }
        if (Character.isLowSurrogate(unit)) {
          throw error("unpaired surrogate " + codePoint(unit) + " in a string");
        }
        out.append(unit);
        pos += 6;
        return;
      }
      default -> {
        pos++;
        throw error("invalid escape sequence '\\" + c + "'");
      }
    }
    pos += 2;
  }

  /** The UTF-16 unit of the four hex digits at {@code at}. */
  private char hex4(int at) {
    if (at + 4 > text.length()) {
      pos = Math.min(at, text.length());
      throw error("unexpected end of input in a \\u escape, expected four hex digits");
    }
    int unit = 0;
    for (int i = at; i < at + 4; i++) {
      int digit = hexDigit(text.charAt(i));
      if (digit < 0) {
        pos = i;
        throw error("unexpected " + describeNext() + " in a \\u escape, expected a hex digit");
      }
      unit = unit * 16 + digit;
    }
    return (char) unit;
  }

  /** ASCII only: {@link Character#digit} would take other scripts' digits too. */
  private static int hexDigit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  private Double number() {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    if (peek() == '0') {
      pos++;
      if (isDigit(peek())) {
        throw error("leading zero in a number");
      }
    } else if (isDigit(peek())) {
      digits();
    } else {
      throw error("unexpected " + describeNext() + ", expected a digit");
    }
    if (peek() == '.') {
      pos++;
      if (!isDigit(peek())) {
        throw error("unexpected " + describeNext() + ", expected a digit after the decimal point");
      }
      digits();
    }
    if (peek() == 'e' || peek() == 'E') {
      pos++;
      if (peek() == '+' || peek() == '-') {
        pos++;
      }
      if (!isDigit(peek())) {
        throw error("unexpected " + describeNext() + ", expected a digit in the exponent");
      }
      digits();
    }
    String literal = text.substring(start, pos);
    double value = Double.parseDouble(literal);
    if (Double.isInfinite(value)) {
      pos = start;
      throw error(
          "number too large for a double: "
              + (literal.length() > 40 ? literal.substring(0, 40) + "..." : literal));
    }
    return value;
  }

  private void digits() {
    while (isDigit(peek())) {
      pos++;
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private Object literal(String word, Object value) {
    if (!text.startsWith(word, pos)) {
      throw error("unexpected " + describeNext() + ", expected a value");
    }
    pos += word.length();
    return value;
  }

  private void expect(char c, String where) {
    if (peek() != c) {
      throw error("unexpected " + describeNext() + ", expected '" + c + "' " + where);
    }
    pos++;
  }

  /** The next char, or NUL at the end (NUL never starts a token, so it only fails a check). */
  private char peek() {
    return pos < text.length() ? text.charAt(pos) : '\0';
  }

  private void skipWhitespace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private String describeNext() {
    if (pos >= text.length()) {
      return "end of input";
    }
    char c = text.charAt(pos);
    return c > 0x20 && c < 0x7f ? "'" + c + "'" : "character " + codePoint(c);
  }

  private static String codePoint(char c) {
    return String.format(java.util.Locale.ROOT, "U+%04X", (int) c);
  }

  /** An error at {@code pos}, with its line and column counted only now. */
  private JsonException error(String problem) {
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < pos && i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return new JsonException(line, pos - lineStart + 1, problem);
  }
}
