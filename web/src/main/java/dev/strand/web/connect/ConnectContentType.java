package dev.strand.web.connect;

import java.util.Locale;

/**
 * A Connect content type: {@code application/proto} or {@code application/json} for unary calls,
 * {@code application/connect+proto} or {@code application/connect+json} for streaming ones
 * (CONNECT-PROTOCOL.md). {@code codec} is the message format's name, whatever it is; whether it is
 * served is the protocol's business.
 */
record ConnectContentType(boolean streaming, String codec) {
  private static final String STREAMING_PREFIX = "application/connect+";
  private static final String UNARY_PREFIX = "application/";

  static final ConnectContentType UNARY_JSON = new ConnectContentType(false, "json");

  /** The content type a header names, or null if it is not a Connect one. */
  static ConnectContentType parse(CharSequence header) {
    if (header == null) {
      return null;
    }
    String type = header.toString();
    int semicolon = type.indexOf(';');
    if (semicolon >= 0) {
      // Parameters (charset=utf-8, mostly) do not change the format.
      type = type.substring(0, semicolon);
    }
    type = type.trim().toLowerCase(Locale.ROOT);
    if (type.startsWith(STREAMING_PREFIX)) {
      String codec = type.substring(STREAMING_PREFIX.length());
      return codec.isEmpty() ? null : new ConnectContentType(true, codec);
    }
    if (type.equals("application/proto") || type.equals("application/json")) {
      return new ConnectContentType(false, type.substring(UNARY_PREFIX.length()));
    }
    return null;
  }

  /** Connect streaming's own content type: claimed whatever the path. */
  static boolean isStreaming(CharSequence header) {
    ConnectContentType type = parse(header);
    return type != null && type.streaming();
  }

  /** What the response says: the request's own type, as the spec asks. */
  String header() {
    return (streaming ? STREAMING_PREFIX : UNARY_PREFIX) + codec;
  }
}
