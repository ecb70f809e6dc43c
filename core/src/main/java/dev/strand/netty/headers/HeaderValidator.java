package dev.strand.netty.headers;

import io.netty.handler.codec.http.HttpHeaderValidationUtil;
import io.netty.util.AsciiString;

/**
 * Checks received header names and values against RFC 9113 (names are lowercase tokens; values hold
 * no NUL, CR or LF and no surrounding whitespace), once per instance. After the first call on a
 * connection, HPACK hands out the same name and value objects from its dynamic table for every
 * call, so a small identity cache turns the per-byte scan into one comparison. One per connection,
 * used only on its event loop.
 */
public final class HeaderValidator {
  private static final int SLOTS = 64;
  private final AsciiString[] validNames = new AsciiString[SLOTS];
  private final AsciiString[] validValues = new AsciiString[SLOTS];

  void checkName(AsciiString name) {
    int slot = System.identityHashCode(name) & (SLOTS - 1);
    if (validNames[slot] == name) {
      return;
    }
    if (name.isEmpty()) {
      throw new IllegalArgumentException("empty header name");
    }
    if (HttpHeaderValidationUtil.validateToken(name) != -1 || hasUpperCase(name)) {
      throw new IllegalArgumentException("invalid header name '" + name + "'");
    }
    validNames[slot] = name;
  }

  void checkValue(AsciiString name, AsciiString value) {
    int slot = System.identityHashCode(value) & (SLOTS - 1);
    if (validValues[slot] == value) {
      return;
    }
    if (HttpHeaderValidationUtil.validateValidHeaderValue(value) != -1) {
      throw new IllegalArgumentException(
          "the value of header '" + name + "' contains a prohibited character");
    }
    validValues[slot] = value;
  }

  private static boolean hasUpperCase(AsciiString name) {
    for (int i = 0; i < name.length(); i++) {
      byte b = name.byteAt(i);
      if (b >= 'A' && b <= 'Z') {
        return true;
      }
    }
    return false;
  }
}
