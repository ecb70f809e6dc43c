package dev.strand.web.transcoding.path;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The decoding http.proto gives captured path segments: a single-segment variable is decoded in
 * full; a multi-segment one keeps {@code %2F} / {@code %2f} as they are, so an encoded slash in a
 * value is not mistaken for a segment boundary.
 */
public final class PercentDecoding {
  private PercentDecoding() {}

  /**
   * Decodes {@code %XX} escapes as UTF-8, leaving encoded slashes when {@code keepSlashes}; a
   * malformed escape (not two hex digits) throws {@link IllegalArgumentException}.
   */
  public static String decode(String raw, boolean keepSlashes) {
    if (raw.indexOf('%') < 0) {
      return raw;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
    int i = 0;
    while (i < raw.length()) {
      char c = raw.charAt(i);
      if (c != '%') {
        int end = i;
        while (end < raw.length() && raw.charAt(end) != '%') {
          end++;
        }
        byte[] plain = raw.substring(i, end).getBytes(StandardCharsets.UTF_8);
        out.write(plain, 0, plain.length);
        i = end;
        continue;
      }
      if (i + 2 >= raw.length()) {
        throw new IllegalArgumentException("truncated percent-escape in '" + raw + "'");
      }
      int hi = Character.digit(raw.charAt(i + 1), 16);
      int lo = Character.digit(raw.charAt(i + 2), 16);
      if (hi < 0 || lo < 0) {
        throw new IllegalArgumentException(
            "bad percent-escape '" + raw.substring(i, i + 3) + "' in '" + raw + "'");
      }
      int b = hi << 4 | lo;
      if (keepSlashes && b == '/') {
        out.write('%');
        out.write(raw.charAt(i + 1));
        out.write(raw.charAt(i + 2));
      } else {
        out.write(b);
      }
      i += 3;
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
