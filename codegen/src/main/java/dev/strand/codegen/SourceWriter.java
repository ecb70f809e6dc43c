package dev.strand.codegen;

/**
 * Builds Java source a line at a time with two-space indentation, and keeps members one blank line
 * apart without a blank line after an opening brace.
 */
final class SourceWriter {
  private static final String INDENT = "  ";
  static final int MAX_WIDTH = 100;

  private final StringBuilder out = new StringBuilder();
  private int depth;
  private String lastLine = "";

  SourceWriter line(String text) {
    if (text.isEmpty()) {
      out.append('\n');
    } else {
      out.append(INDENT.repeat(depth)).append(text).append('\n');
    }
    lastLine = text;
    return this;
  }

  /** A line that opens a block: {@code text} should end in {@code {}. */
  SourceWriter open(String text) {
    line(text);
    depth++;
    return this;
  }

  /** Closes the innermost block with {@code }}. */
  SourceWriter close() {
    depth--;
    return line("}");
  }

  /** Whether the text, indented at the current depth, stays within the line width. */
  boolean fits(String text) {
    return INDENT.length() * depth + text.length() <= MAX_WIDTH;
  }

  /** Starts a member: a blank line, unless it is the first thing in its block. */
  SourceWriter member() {
    if (!lastLine.endsWith("{") && !lastLine.isEmpty()) {
      line("");
    }
    return this;
  }

  @Override
  public String toString() {
    return out.toString();
  }
}
