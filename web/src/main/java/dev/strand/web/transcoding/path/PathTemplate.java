package dev.strand.web.transcoding.path;

import java.util.ArrayList;
import java.util.List;

/**
 * A parsed {@code google.api.http} path template (http.proto, "Path template syntax"):
 *
 * <pre>
 * Template = "/" Segments [ Verb ] ;
 * Segments = Segment { "/" Segment } ;
 * Segment  = "*" | "**" | LITERAL | Variable ;
 * Variable = "{" FieldPath [ "=" Segments ] "}" ;
 * FieldPath = IDENT { "." IDENT } ;
 * Verb     = ":" LITERAL ;
 * </pre>
 *
 * <p>Variables are flattened into the segments they match: {@code /v1/{name=shelves/*}} is the
 * segments {@code v1, shelves, *} with a variable {@code name} over segments 1 to 3. {@code **} may
 * only be the last segment.
 *
 * @param segments each a literal, {@link #SINGLE} or {@link #MULTI}
 * @param variables in the order they appear
 * @param verb the custom verb after {@code :}, or null
 */
public record PathTemplate(
    String text, List<String> segments, List<Variable> variables, String verb) {
  /** {@code *}: one segment. */
  public static final String SINGLE = "*";

  /** {@code **}: zero or more segments, only at the end. */
  public static final String MULTI = "**";

  public PathTemplate {
    segments = List.copyOf(segments);
    variables = List.copyOf(variables);
  }

  /**
   * A variable: the field it sets and the segments it captures, {@code [start, end)}; {@code end}
   * is {@link #TO_END} when it ends in {@code **}.
   */
  public record Variable(List<String> fieldPath, int start, int end) {
    public static final int TO_END = -1;

    public Variable {
      fieldPath = List.copyOf(fieldPath);
    }

    /**
     * A variable over more than one segment (or {@code **}) keeps {@code %2F} encoded when it is
     * decoded, so a captured {@code /} and an encoded one stay apart (http.proto).
     */
    public boolean multiSegment() {
      return end == TO_END || end - start != 1;
    }

    public String dottedPath() {
      return String.join(".", fieldPath);
    }
  }

  /** Parses a template, or throws {@link IllegalArgumentException} saying what and where. */
  public static PathTemplate parse(String template) {
    return new TemplateParser(template).parse();
  }

  /** True if the template ends in {@code **}. */
  public boolean endsInMulti() {
    return !segments.isEmpty() && segments.get(segments.size() - 1).equals(MULTI);
  }

  /**
   * The template with its variables as {@code {name}}, as OpenAPI writes a path: a variable over
   * several segments shows as one parameter (its value carries the slashes).
   */
  public String openApiPath() {
    StringBuilder out = new StringBuilder();
    int i = 0;
    int v = 0;
    while (i < segments.size()) {
      out.append('/');
      if (v < variables.size() && variables.get(v).start() == i) {
        Variable variable = variables.get(v++);
        out.append('{').append(variable.dottedPath()).append('}');
        i = variable.end() == Variable.TO_END ? segments.size() : variable.end();
        continue;
      }
      out.append(segments.get(i++));
    }
    if (verb != null) {
      out.append(':').append(verb);
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return text;
  }

  /** Recursive descent over the grammar above; one instance per template. */
  private static final class TemplateParser {
    private final String text;
    private int pos;
    private final List<String> segments = new ArrayList<>();
    private final List<Variable> variables = new ArrayList<>();

    TemplateParser(String text) {
      this.text = text;
    }

    PathTemplate parse() {
      if (text == null || text.isEmpty() || text.charAt(0) != '/') {
        throw error("a path template starts with '/'");
      }
      pos = 1;
      segments(false);
      String verb = null;
      if (pos < text.length() && text.charAt(pos) == ':') {
        pos++;
        verb = literal("a verb");
      }
      if (pos != text.length()) {
        throw error("unexpected '" + text.charAt(pos) + "'");
      }
      int multi = segments.indexOf(MULTI);
      if (multi >= 0 && multi != segments.size() - 1) {
        throw error("'**' must be the last segment");
      }
      return new PathTemplate(text, segments, variables, verb);
    }

    private void segments(boolean inVariable) {
      segment(inVariable);
      while (pos < text.length() && text.charAt(pos) == '/') {
        pos++;
        segment(inVariable);
      }
    }

    private void segment(boolean inVariable) {
      if (text.startsWith("**", pos)) {
        pos += 2;
        segments.add(MULTI);
      } else if (text.startsWith("*", pos)) {
        pos += 1;
        segments.add(SINGLE);
      } else if (text.startsWith("{", pos)) {
        if (inVariable) {
          throw error("a variable must not contain another variable");
        }
        variable();
      } else {
        segments.add(literal("a segment"));
      }
    }

    private void variable() {
      pos++; // '{'
      List<String> fieldPath = new ArrayList<>();
      fieldPath.add(ident());
      while (pos < text.length() && text.charAt(pos) == '.') {
        pos++;
        fieldPath.add(ident());
      }
      int start = segments.size();
      if (pos < text.length() && text.charAt(pos) == '=') {
        pos++;
        segments(true);
      } else {
        segments.add(SINGLE);
      }
      if (pos >= text.length() || text.charAt(pos) != '}') {
        throw error("variable '" + String.join(".", fieldPath) + "' is not closed with '}'");
      }
      pos++;
      for (Variable other : variables) {
        if (other.fieldPath().equals(fieldPath)) {
          throw error("field '" + String.join(".", fieldPath) + "' is bound twice");
        }
      }
      boolean toEnd = segments.get(segments.size() - 1).equals(MULTI);
      variables.add(new Variable(fieldPath, start, toEnd ? Variable.TO_END : segments.size()));
    }

    private String ident() {
      int start = pos;
      while (pos < text.length()) {
        char c = text.charAt(pos);
        boolean ok =
            c == '_'
                || (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (pos > start && c >= '0' && c <= '9');
        if (!ok) {
          break;
        }
        pos++;
      }
      if (pos == start) {
        throw error("expected a field name");
      }
      return text.substring(start, pos);
    }

    /** Everything up to the next character the grammar gives a meaning to. */
    private String literal(String what) {
      int start = pos;
      while (pos < text.length() && "/{}=*:".indexOf(text.charAt(pos)) < 0) {
        pos++;
      }
      if (pos == start) {
        throw error("expected " + what);
      }
      return PercentDecoding.decode(text.substring(start, pos), false);
    }

    private IllegalArgumentException error(String what) {
      return new IllegalArgumentException(
          "bad path template '" + text + "' at " + pos + ": " + what);
    }
  }
}
