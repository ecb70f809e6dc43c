package dev.strand.web.grpcweb;

import java.util.Locale;

/**
 * A gRPC-Web content type (PROTOCOL-WEB.md): {@code application/grpc-web} or {@code
 * application/grpc-web-text} (the same, base64-encoded), each optionally with a {@code +format}
 * suffix. Only protobuf is served, as {@code application/grpc} is: other formats are claimed so
 * they get a clear 415 rather than gRPC's "not gRPC" answer.
 *
 * @param text base64 text ({@code -text}) rather than binary
 * @param format the suffix after {@code +} ("proto"), or null for none, which means protobuf
 */
record GrpcWebContentType(boolean text, String format) {
  private static final String BINARY = "application/grpc-web";
  private static final String TEXT = "application/grpc-web-text";

  /** The gRPC-Web type a content-type header names, or null if it is not gRPC-Web. */
  static GrpcWebContentType parse(CharSequence header) {
    if (header == null) {
      return null;
    }
    String value = header.toString().toLowerCase(Locale.ROOT);
    int params = value.indexOf(';');
    String type = (params < 0 ? value : value.substring(0, params)).trim();
    boolean text = type.startsWith(TEXT);
    String base = text ? TEXT : BINARY;
    if (!type.startsWith(base)) {
      return null;
    }
    String rest = type.substring(base.length());
    if (rest.isEmpty()) {
      return new GrpcWebContentType(text, null);
    }
    return rest.charAt(0) == '+' ? new GrpcWebContentType(text, rest.substring(1)) : null;
  }

  /** True if messages are protobuf, the one format served. */
  boolean isProto() {
    return format == null || format.equals("proto");
  }

  /** The same type, text or binary as the response is to be: what the response's header says. */
  String responseHeader(boolean textResponse) {
    return (textResponse ? TEXT : BINARY) + (format == null ? "" : "+" + format);
  }
}
