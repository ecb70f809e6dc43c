package dev.strand.internal.wire;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The percent-encoding of {@code grpc-message}: UTF-8 bytes, with everything outside 0x20-0x7E and
 * '%' itself written as %XX. Decoding never fails: a broken escape is kept as is.
 */
public final class PercentEncoding {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private PercentEncoding() {}

  public static String encode(String message) {
    if (!needsEncoding(message)) {
      return message;
    }
    byte[] utf8 = message.getBytes(StandardCharsets.UTF_8);
    StringBuilder sb = new StringBuilder(utf8.length + 16);
    for (byte b : utf8) {
      int c = b & 0xff;
      if (c >= 0x20 && c <= 0x7e && c != '%') {
        sb.append((char) c);
      } else {
        sb.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return sb.toString();
  }

  public static String decode(CharSequence encoded) {
    int len = encoded.length();
    boolean hasPercent = false;
    for (int i = 0; i < len; i++) {
      if (encoded.charAt(i) == '%') {
        hasPercent = true;
        break;
      }
    }
    if (!hasPercent) {
      return encoded.toString();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(len);
    for (int i = 0; i < len; i++) {
      char c = encoded.charAt(i);
      if (c == '%' && i + 2 < len) {
        int hi = Character.digit(encoded.charAt(i + 1), 16);
        int lo = Character.digit(encoded.charAt(i + 2), 16);
        if (hi >= 0 && lo >= 0) {
          out.write((hi << 4) | lo);
          i += 2;
          continue;
        }
      }
      // Not a valid escape (or not ASCII): keep the character's own UTF-8 bytes.
      byte[] raw = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
      out.write(raw, 0, raw.length);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static boolean needsEncoding(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '%') {
        return true;
      }
    }
    return false;
  }
}
