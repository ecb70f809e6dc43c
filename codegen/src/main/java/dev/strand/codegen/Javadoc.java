package dev.strand.codegen;

import java.util.ArrayList;
import java.util.List;

/** Writes .proto comments as Javadoc that can neither end the comment early nor be misread. */
final class Javadoc {
  private Javadoc() {}

  /** Writes a Javadoc block of the comment's lines; writes nothing for an empty comment. */
  static void write(SourceWriter out, String protoComment) {
    List<String> lines = lines(protoComment);
    if (lines.isEmpty()) {
      return;
    }
    if (lines.size() == 1 && out.fits("/** " + lines.get(0) + " */")) {
      out.line("/** " + lines.get(0) + " */");
      return;
    }
    out.line("/**");
    for (String line : lines) {
      out.line(line.isEmpty() ? " *" : " * " + line);
    }
    out.line(" */");
  }

  /** The comment's lines, escaped, without the space protoc keeps after {@code //}. */
  static List<String> lines(String protoComment) {
    List<String> lines = new ArrayList<>();
    for (String line : protoComment.split("\r\n|\r|\n", -1)) {
      lines.add(line.stripTrailing());
    }
    while (!lines.isEmpty() && lines.get(0).isEmpty()) {
      lines.remove(0);
    }
    while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
      lines.remove(lines.size() - 1);
    }
    boolean allIndented = lines.stream().allMatch(l -> l.isEmpty() || l.startsWith(" "));
    List<String> escaped = new ArrayList<>(lines.size());
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      String text = escape(allIndented && !line.isEmpty() ? line.substring(1) : line);
      // A blank line in the .proto separates paragraphs; Javadoc needs to be told.
      boolean startsParagraph = i > 0 && lines.get(i - 1).isEmpty() && !text.isEmpty();
      escaped.add(startsParagraph ? "<p>" + text : text);
    }
    return escaped;
  }

  /**
   * Makes comment text inert inside Javadoc: {@code *}{@code /} would end the comment, {@code @}
   * would start a tag, angle brackets and ampersands would be HTML, and a backslash could start a
   * unicode escape, which javac decodes even inside comments.
   */
  static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("@", "&#64;")
        .replace("\\", "&#92;")
        .replace("*/", "*&#47;");
  }
}
