package dev.strand.web.connect;

import dev.strand.netty.headers.HeadersCodec;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Connect's headers against gRPC's: a Connect request becomes the gRPC request the call engine
 * serves (timeout, encodings), and the engine's header blocks give back the metadata a Connect
 * response carries (as headers, {@code trailer-} headers, or an end-of-stream message).
 */
final class ConnectHeaders {
  static final AsciiString PROTOCOL_VERSION = AsciiString.cached("connect-protocol-version");
  static final AsciiString TIMEOUT_MS = AsciiString.cached("connect-timeout-ms");
  static final AsciiString CONTENT_ENCODING = AsciiString.cached("content-encoding");
  static final AsciiString ACCEPT_ENCODING = AsciiString.cached("accept-encoding");
  static final AsciiString STREAM_CONTENT_ENCODING = AsciiString.cached("connect-content-encoding");
  static final AsciiString STREAM_ACCEPT_ENCODING = AsciiString.cached("connect-accept-encoding");
  static final String GRPC_STATUS_DETAILS = "grpc-status-details-bin";
  static final String TRAILER_PREFIX = "trailer-";

  /** The most digits connect-timeout-ms may have; gRPC's timeout has at most 8. */
  private static final int MAX_TIMEOUT_DIGITS = 10;

  private static final int MAX_GRPC_TIMEOUT = 99_999_999;

  private ConnectHeaders() {}

  /**
   * The gRPC request the engine serves for a Connect one: POST to the same method, gRPC's content
   * type, the request's encoding and the encodings it accepts as gRPC's headers, the timeout as
   * {@code grpc-timeout}; the application's metadata as it came. {@code encoding} and {@code
   * acceptEncoding} may be null (identity; only what the request uses).
   */
  static Http2Headers toGrpc(
      Http2Headers connect,
      CharSequence path,
      String encoding,
      CharSequence acceptEncoding,
      String grpcTimeout) {
    Http2Headers grpc = new DefaultHttp2Headers(false);
    grpc.method(HeadersCodec.POST).path(path);
    if (connect.scheme() != null) {
      grpc.scheme(connect.scheme());
    }
    if (connect.authority() != null) {
      grpc.authority(connect.authority());
    }
    grpc.set(HeadersCodec.CONTENT_TYPE, HeadersCodec.APPLICATION_GRPC);
    for (Map.Entry<CharSequence, CharSequence> header : connect) {
      if (isMetadata(header.getKey())) {
        grpc.add(header.getKey(), header.getValue());
      }
    }
    boolean identity = encoding == null || encoding.equals("identity");
    if (!identity) {
      grpc.set(HeadersCodec.GRPC_ENCODING, encoding);
    }
    CharSequence accepted = acceptEncoding == null ? null : withoutQualities(acceptEncoding);
    if (accepted == null && !identity) {
      // A client that names no encodings it accepts reads the one it sent (CONNECT-PROTOCOL.md).
      accepted = encoding;
    }
    if (accepted != null) {
      grpc.set(HeadersCodec.GRPC_ACCEPT_ENCODING, accepted);
    }
    if (grpcTimeout != null) {
      grpc.set(HeadersCodec.GRPC_TIMEOUT, grpcTimeout);
    }
    return grpc;
  }

  /** Request headers that are HTTP's or Connect's own, not the application's metadata. */
  private static final AsciiString[] NOT_METADATA = {
    AsciiString.cached("content-type"),
    AsciiString.cached("content-length"),
    CONTENT_ENCODING,
    ACCEPT_ENCODING,
    AsciiString.cached("te"),
    AsciiString.cached("connection"),
    AsciiString.cached("host"),
    AsciiString.cached("transfer-encoding"),
  };

  /**
   * A request header the application sees as metadata: not Connect's, HTTP's or gRPC's own.
   * Compared in place, with no copies: this runs for every header of every unary call.
   */
  private static boolean isMetadata(CharSequence name) {
    if (name.length() == 0
        || name.charAt(0) == ':'
        || startsWith(name, "connect-")
        || (startsWith(name, "grpc-") && !AsciiString.contentEquals(name, GRPC_STATUS_DETAILS))) {
      return false;
    }
    for (AsciiString reserved : NOT_METADATA) {
      if (reserved.contentEqualsIgnoreCase(name)) {
        return false;
      }
    }
    return true;
  }

  private static boolean startsWith(CharSequence name, String prefix) {
    return AsciiString.regionMatches(name, true, 0, prefix, 0, prefix.length());
  }

  /** "gzip;q=1.0, br;q=0.5" as gRPC reads accept lists: "gzip,br". */
  private static String withoutQualities(CharSequence acceptEncoding) {
    StringBuilder names = new StringBuilder();
    for (String part : acceptEncoding.toString().split(",")) {
      int semicolon = part.indexOf(';');
      String name = (semicolon >= 0 ? part.substring(0, semicolon) : part).trim();
      if (!name.isEmpty()) {
        names.append(names.length() == 0 ? "" : ",").append(name);
      }
    }
    return names.toString();
  }

  /**
   * {@code connect-timeout-ms} as a {@code grpc-timeout}: a positive integer of at most 10 digits,
   * in milliseconds while it fits gRPC's 8 digits, else in (rounded up) seconds.
   *
   * @throws IllegalArgumentException naming what is wrong with it
   */
  static String grpcTimeout(CharSequence connectTimeoutMs) {
    String value = connectTimeoutMs.toString();
    if (value.isEmpty() || value.length() > MAX_TIMEOUT_DIGITS) {
      throw new IllegalArgumentException(
          "connect-timeout-ms must be a positive integer of at most 10 digits, got '"
              + value
              + "'");
    }
    for (int i = 0; i < value.length(); i++) {
      if (value.charAt(i) < '0' || value.charAt(i) > '9') {
        throw new IllegalArgumentException(
            "connect-timeout-ms must be a positive integer of at most 10 digits, got '"
                + value
                + "'");
      }
    }
    long millis = Long.parseLong(value);
    if (millis <= 0) {
      throw new IllegalArgumentException(
          "connect-timeout-ms must be positive, got '" + value + "'");
    }
    return millis <= MAX_GRPC_TIMEOUT ? millis + "m" : (millis + 999) / 1000 + "S";
  }

  /**
   * Copies the metadata of one of the engine's response header blocks, each name prefixed (with
   * {@code trailer-} for a unary response's trailers); gRPC's own headers stay behind.
   */
  static void copyMetadata(Http2Headers from, Http2Headers to, String prefix) {
    if (from == null) {
      return;
    }
    for (Map.Entry<CharSequence, CharSequence> header : from) {
      if (isResponseMetadata(header.getKey())) {
        to.add(prefix.isEmpty() ? header.getKey() : prefix + header.getKey(), header.getValue());
      }
    }
  }

  /** A block's metadata as an end-of-stream message's "metadata": each name's values in order. */
  static Map<String, List<String>> metadataOf(Http2Headers block) {
    Map<String, List<String>> metadata = new LinkedHashMap<>();
    for (Map.Entry<CharSequence, CharSequence> header : block) {
      if (isResponseMetadata(header.getKey())) {
        metadata
            .computeIfAbsent(header.getKey().toString(), k -> new ArrayList<>())
            .add(header.getValue().toString());
      }
    }
    return metadata;
  }

  /** The rich error details of a final block, or null. */
  static byte[] statusDetails(Http2Headers block) {
    CharSequence value = block.get(GRPC_STATUS_DETAILS);
    if (value == null) {
      return null;
    }
    try {
      // Padded or not: Java's decoder takes both.
      return java.util.Base64.getDecoder().decode(value.toString().trim());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static boolean isResponseMetadata(CharSequence name) {
    return name.length() > 0
        && name.charAt(0) != ':'
        && !startsWith(name, "grpc-")
        && !HeadersCodec.CONTENT_TYPE.contentEqualsIgnoreCase(name)
        && !CONTENT_ENCODING.contentEqualsIgnoreCase(name);
  }
}
