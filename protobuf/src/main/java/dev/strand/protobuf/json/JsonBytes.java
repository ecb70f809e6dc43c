package dev.strand.protobuf.json;

import java.util.Arrays;

/**
 * A growable buffer of JSON text as UTF-8 bytes, with the number, string and base64 forms that
 * ProtoJSON uses written straight in as bytes (no intermediate Strings on the common paths).
 */
final class JsonBytes {
  private static final byte[] HEX =
      "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final byte[] BASE64 =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /**
   * What JsonFormat writes for each ASCII character that it escapes (null: the character itself).
   * Besides the quote, the backslash and the controls it escapes {@code <>&='} as Gson's HTML-safe
   * writer does, so the text can sit inside HTML.
   */
  private static final byte[][] ASCII_ESCAPES = new byte[128][];

  static {
    for (int c = 0; c < 0x20; c++) {
      ASCII_ESCAPES[c] = unicodeEscape(c);
    }
    ASCII_ESCAPES['"'] = ascii("\\\"");
    ASCII_ESCAPES['\\'] = ascii("\\\\");
    ASCII_ESCAPES['\t'] = ascii("\\t");
    ASCII_ESCAPES['\b'] = ascii("\\b");
    ASCII_ESCAPES['\n'] = ascii("\\n");
    ASCII_ESCAPES['\r'] = ascii("\\r");
    ASCII_ESCAPES['\f'] = ascii("\\f");
    for (char c : "<>&='".toCharArray()) {
      ASCII_ESCAPES[c] = unicodeEscape(c);
    }
  }

  /**
   * 1 for the bytes a string copies as they are (ASCII that needs no escape), 0 for the rest: the
   * scan for the next byte to look at is one table load per byte, most strings having none.
   */
  private static final byte[] PLAIN = new byte[256];

  static {
    for (int c = 0; c < 128; c++) {
      PLAIN[c] = (byte) (ASCII_ESCAPES[c] == null ? 1 : 0);
    }
  }

  /** "00" to "99": numbers are written two digits per division. */
  private static final byte[] DIGIT_PAIRS = new byte[200];

  static {
    for (int i = 0; i < 100; i++) {
      DIGIT_PAIRS[2 * i] = (byte) ('0' + i / 10);
      DIGIT_PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
    }
  }

  private byte[] bytes;
  private int size;

  JsonBytes(int capacity) {
    bytes = new byte[Math.max(16, capacity)];
  }

  int size() {
    return size;
  }

  int capacity() {
    return bytes.length;
  }

  void clear() {
    size = 0;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(bytes, size);
  }

  void ensure(int more) {
    if (size + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
    }
  }

  void write(byte b) {
    ensure(1);
    bytes[size++] = b;
  }

  void write(byte[] src) {
    write(src, 0, src.length);
  }

  void write(byte[] src, int offset, int length) {
    ensure(length);
    System.arraycopy(src, offset, bytes, size, length);
    size += length;
  }

  /** Text known to be ASCII (numbers from the JDK's formatters). */
  void writeAscii(String text) {
    int n = text.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      bytes[size++] = (byte) text.charAt(i);
    }
  }

  void writeLong(long value) {
    if (value == Long.MIN_VALUE) {
      writeAscii("-9223372036854775808");
      return;
    }
    ensure(20);
    if (value < 0) {
      bytes[size++] = '-';
      value = -value;
    }
    writeDigits(value, digitCount(value));
  }

  void writeUnsignedLong(long value) {
    if (value < 0) {
      writeAscii(Long.toUnsignedString(value));
    } else {
      writeLong(value);
    }
  }

  /** Exactly {@code width} digits, zero-padded: nanos, years, hours. */
  void writePadded(long value, int width) {
    ensure(width);
    writeDigits(value, width);
  }

  /** The low {@code count} digits of a non-negative value, zero-padded, from the last one back. */
  private void writeDigits(long value, int count) {
    int end = size + count;
    int pos = end;
    long high = value;
    while (high > Integer.MAX_VALUE && pos - size >= 2) {
      int pair = (int) (high % 100);
      high /= 100;
      bytes[--pos] = DIGIT_PAIRS[2 * pair + 1];
      bytes[--pos] = DIGIT_PAIRS[2 * pair];
    }
    if (high > Integer.MAX_VALUE) { // at most one digit is left to write
      if (pos > size) {
        bytes[--pos] = (byte) ('0' + (int) (high % 10));
      }
      size = end;
      return;
    }
    int low = (int) high; // int division from here on: cheaper than long
    while (pos - size >= 2) {
      int pair = low % 100;
      low /= 100;
      bytes[--pos] = DIGIT_PAIRS[2 * pair + 1];
      bytes[--pos] = DIGIT_PAIRS[2 * pair];
    }
    if (pos > size) {
      bytes[--pos] = (byte) ('0' + low % 10);
    }
    size = end;
  }

  private static int digitCount(long value) {
    int count = 1;
    for (long limit = 10; count < 19 && value >= limit; limit *= 10) {
      count++;
    }
    return count;
  }

  /**
   * A quoted, escaped JSON string from UTF-8 bytes, copied as they are except for the characters
   * JsonFormat escapes (U+2028 and U+2029 too). Returns false, having written an unspecified part,
   * if the bytes are not valid UTF-8: the caller then falls back to JsonFormat, whose handling of
   * such bytes (replacement characters, or an error) this does not imitate.
   */
  boolean writeString(byte[] src, int offset, int length) {
    ensure(length + 2);
    bytes[size++] = '"';
    int end = offset + length;
    int plainStart = offset;
    int i = offset;
    while (true) {
      while (i < end && PLAIN[src[i] & 0xff] != 0) {
        i++;
      }
      if (i == end) {
        break;
      }
      int b = src[i];
      if (b >= 0) {
        write(src, plainStart, i - plainStart);
        write(ASCII_ESCAPES[b]);
        plainStart = ++i;
        continue;
      }
      int sequence = utf8SequenceLength(src, i, end);
      if (sequence == 0) {
        return false;
      }
      if (sequence == 3
          && (b & 0xff) == 0xE2
          && src[i + 1] == (byte) 0x80
          && (src[i + 2] == (byte) 0xA8 || src[i + 2] == (byte) 0xA9)) {
        write(src, plainStart, i - plainStart);
        write(src[i + 2] == (byte) 0xA8 ? LINE_SEPARATOR : PARAGRAPH_SEPARATOR);
        plainStart = i + 3;
      }
      i += sequence;
    }
    write(src, plainStart, end - plainStart);
    write((byte) '"');
    return true;
  }

  private static final byte[] LINE_SEPARATOR = ascii("\\u2028");
  private static final byte[] PARAGRAPH_SEPARATOR = ascii("\\u2029");

  /** The length of the well-formed UTF-8 sequence (2 to 4 bytes) at {@code i}, or 0. */
  private static int utf8SequenceLength(byte[] src, int i, int end) {
    int lead = src[i] & 0xff;
    if (lead >= 0xC2 && lead <= 0xDF) {
      return i + 1 < end && isContinuation(src[i + 1]) ? 2 : 0;
    }
    if (lead >= 0xE0 && lead <= 0xEF) {
      if (i + 2 >= end) {
        return 0;
      }
      int second = src[i + 1] & 0xff;
      int low = lead == 0xE0 ? 0xA0 : 0x80;
      int high = lead == 0xED ? 0x9F : 0xBF; // ED A0..BF would be a surrogate
      return second >= low && second <= high && isContinuation(src[i + 2]) ? 3 : 0;
    }
    if (lead >= 0xF0 && lead <= 0xF4) {
      if (i + 3 >= end) {
        return 0;
      }
      int second = src[i + 1] & 0xff;
      int low = lead == 0xF0 ? 0x90 : 0x80;
      int high = lead == 0xF4 ? 0x8F : 0xBF;
      return second >= low
              && second <= high
              && isContinuation(src[i + 2])
              && isContinuation(src[i + 3])
          ? 4
          : 0;
    }
    return 0;
  }

  private static boolean isContinuation(byte b) {
    return (b & 0xC0) == 0x80;
  }

  /** Quoted standard base64 with padding, as JsonFormat prints bytes. */
  void writeBase64(byte[] src, int offset, int length) {
    ensure((length + 2) / 3 * 4 + 2);
    bytes[size++] = '"';
    int end = offset + length;
    int i = offset;
    for (; i + 2 < end; i += 3) {
      int bits = (src[i] & 0xff) << 16 | (src[i + 1] & 0xff) << 8 | (src[i + 2] & 0xff);
      bytes[size++] = BASE64[bits >>> 18];
      bytes[size++] = BASE64[(bits >>> 12) & 63];
      bytes[size++] = BASE64[(bits >>> 6) & 63];
      bytes[size++] = BASE64[bits & 63];
    }
    int left = end - i;
    if (left > 0) {
      int bits = (src[i] & 0xff) << 16 | (left == 2 ? (src[i + 1] & 0xff) << 8 : 0);
      bytes[size++] = BASE64[bits >>> 18];
      bytes[size++] = BASE64[(bits >>> 12) & 63];
      bytes[size++] = left == 2 ? BASE64[(bits >>> 6) & 63] : (byte) '=';
      bytes[size++] = '=';
    }
    bytes[size++] = '"';
  }

  private static byte[] unicodeEscape(int c) {
    return new byte[] {'\\', 'u', '0', '0', HEX[c >> 4], HEX[c & 15]};
  }

  static byte[] ascii(String text) {
    return text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }
}
