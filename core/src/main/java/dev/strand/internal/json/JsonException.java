package dev.strand.internal.json;

/**
 * Text that is not JSON (RFC 8259), with where the reader stopped: the message reads {@code "line
 * 3, column 14: expected ',' or '}' after an object member"}.
 */
public final class JsonException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final int line;
  private final int column;

  JsonException(int line, int column, String problem) {
    super("line " + line + ", column " + column + ": " + problem);
    this.line = line;
    this.column = column;
  }

  /** The line of the offending character, from 1. */
  public int line() {
    return line;
  }

  /** Its column (in UTF-16 chars), from 1. */
  public int column() {
    return column;
  }
}
