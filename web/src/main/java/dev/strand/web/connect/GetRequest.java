package dev.strand.web.connect;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A Connect unary GET (CONNECT-PROTOCOL.md, Unary-Get-Request): the message, its encoding and
 * compression in the query, in any order, unknown parameters allowed.
 */
record GetRequest(String path, String encoding, String compression, byte[] message) {

  /** A query that is not a Connect GET: the client gets this message (and this HTTP status). */
  static final class BadQueryException extends Exception {
    private static final long serialVersionUID = 1L;
    final boolean unsupportedMedia;

    BadQueryException(String message, boolean unsupportedMedia) {
      super(message);
      this.unsupportedMedia = unsupportedMedia;
    }
  }

  /** The path before its query. */
  static String pathOf(CharSequence pathAndQuery) {
    String full = pathAndQuery.toString();
    int question = full.indexOf('?');
    return question < 0 ? full : full.substring(0, question);
  }

  static GetRequest parse(CharSequence pathAndQuery) throws BadQueryException {
    String full = pathAndQuery.toString();
    int question = full.indexOf('?');
    String query = question < 0 ? "" : full.substring(question + 1);
    String message = null;
    String encoding = null;
    String compression = null;
    boolean base64 = false;
    String connect = null;
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String name = decode(equals < 0 ? pair : pair.substring(0, equals));
      String value = equals < 0 ? "" : pair.substring(equals + 1);
      switch (name) {
        case "message" -> message = value;
        case "encoding" -> encoding = decode(value);
        case "compression" -> compression = decode(value);
        case "base64" -> base64 = "1".equals(value);
        case "connect" -> connect = decode(value);
        default -> {} // The spec allows unknown parameters (a cache buster, say).
      }
    }
    if (connect != null && !connect.equals("v1")) {
      throw new BadQueryException(
          "connect query parameter must be v1, got '" + connect + "'", false);
    }
    if (encoding == null) {
      throw new BadQueryException(
          "a Connect GET names its message's encoding: encoding=proto or encoding=json", true);
    }
    if (message == null) {
      throw new BadQueryException(
          "a Connect GET carries its request in the message parameter", false);
    }
    byte[] bytes;
    if (base64) {
      try {
        // URL-safe base64 (RFC 4648 §5), padding optional; the standard alphabet is read too.
        // '+' kept as itself, not a space: it is the standard alphabet's, and URL-safe has none.
        String text = decode(message.replace("+", "%2B")).replace('+', '-').replace('/', '_');
        bytes = Base64.getUrlDecoder().decode(stripPadding(text));
      } catch (IllegalArgumentException e) {
        throw new BadQueryException(
            "message query parameter is not valid base64: " + e.getMessage(), false);
      }
    } else {
      bytes = decode(message).getBytes(StandardCharsets.UTF_8);
    }
    return new GetRequest(
        full.substring(0, question < 0 ? full.length() : question), encoding, compression, bytes);
  }

  private static String stripPadding(String base64) {
    int end = base64.length();
    while (end > 0 && base64.charAt(end - 1) == '=') {
      end--;
    }
    return base64.substring(0, end);
  }

  /** Percent-decoding as a query has it ('+' is a space). */
  private static String decode(String text) throws BadQueryException {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new BadQueryException(
          "malformed percent-encoding in the query: " + e.getMessage(), false);
    }
  }
}
