package dev.strand.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class JavadocTest {

  @Test
  void escapesWhatJavadocOrJavacWouldInterpret() {
    assertEquals(
        "a *&#47; b &#64;param &lt;b&gt; &amp;&amp; &#92;u000a",
        Javadoc.escape("a */ b @param <b> && \\u000a"));
  }

  @Test
  void dropsProtocIndentAndMarksParagraphs() {
    assertEquals(
        List.of("First line.", "second line.", "", "<p>Next paragraph."),
        Javadoc.lines("\n First line.\n second line.\n\n Next paragraph.\n\n"));
  }

  @Test
  void keepsRelativeIndentation() {
    assertEquals(List.of("Code:", "  indented();"), Javadoc.lines(" Code:\n   indented();\n"));
  }

  @Test
  void writesShortCommentsOnOneLine() {
    SourceWriter out = new SourceWriter();
    Javadoc.write(out, " Says hello.\n");
    assertEquals("/** Says hello. */\n", out.toString());
  }
}
