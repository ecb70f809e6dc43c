package dev.strand.netty.headers;

import dev.strand.Deadline;
import dev.strand.Metadata;
import dev.strand.Status;
import dev.strand.internal.call.ReceivedMetadata;
import dev.strand.internal.wire.GrpcTimeout;
import dev.strand.internal.wire.HeaderNames;
import dev.strand.internal.wire.HttpStatusMapping;
import dev.strand.internal.wire.PercentEncoding;
import dev.strand.wire.Codec;
import dev.strand.wire.CodecRegistry;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import java.util.Base64;
import java.util.Map;

/** Moves metadata and status between Strand's vocabulary and HTTP/2 header blocks. */
public final class HeadersCodec {
  public static final AsciiString CONTENT_TYPE = AsciiString.cached(HeaderNames.CONTENT_TYPE);
  public static final AsciiString APPLICATION_GRPC =
      AsciiString.cached(HeaderNames.APPLICATION_GRPC);
  static final AsciiString TE = AsciiString.cached(HeaderNames.TE);
  static final AsciiString TRAILERS = AsciiString.cached(HeaderNames.TRAILERS);
  static final AsciiString USER_AGENT = AsciiString.cached(HeaderNames.USER_AGENT);
  static final AsciiString GRPC_STATUS = AsciiString.cached(HeaderNames.GRPC_STATUS);
  static final AsciiString GRPC_MESSAGE = AsciiString.cached(HeaderNames.GRPC_MESSAGE);
  public static final AsciiString GRPC_TIMEOUT = AsciiString.cached(HeaderNames.GRPC_TIMEOUT);
  public static final AsciiString GRPC_ENCODING = AsciiString.cached(HeaderNames.GRPC_ENCODING);
  public static final AsciiString GRPC_ACCEPT_ENCODING =
      AsciiString.cached(HeaderNames.GRPC_ACCEPT_ENCODING);
  public static final AsciiString POST = AsciiString.cached("POST");
  public static final AsciiString HTTP = AsciiString.cached("http");
  public static final AsciiString HTTPS = AsciiString.cached("https");
  public static final AsciiString STATUS_200 = AsciiString.cached("200");
  private static final AsciiString[] STATUS_CODES = new AsciiString[17];

  static {
    for (int i = 0; i < STATUS_CODES.length; i++) {
      STATUS_CODES[i] = AsciiString.cached(Integer.toString(i));
    }
  }

  private HeadersCodec() {}

  /** A header list's size as SETTINGS_MAX_HEADER_LIST_SIZE counts it (RFC 9113, 6.5.2). */
  public static long listSize(Http2Headers headers) {
    if (headers instanceof SharedHeaders shared) {
      return shared.listSize();
    }
    return headers instanceof BlockWithMetadata extended
        ? extended.listSize()
        : countListSize(headers);
  }

  /** The same, counted entry by entry. */
  static long countListSize(Http2Headers headers) {
    long size = 0;
    for (java.util.Map.Entry<CharSequence, CharSequence> header : headers) {
      size += header.getKey().length() + header.getValue().length() + 32;
    }
    return size;
  }

  /** The INTERNAL status of a header block the peer said it would not take. */
  public static Status tooLarge(String what, long size, long limit, String peer) {
    return Status.INTERNAL.withDescription(
        what
            + " of "
            + size
            + " bytes exceed the "
            + peer
            + "'s limit of "
            + limit
            + " bytes (SETTINGS_MAX_HEADER_LIST_SIZE)");
  }

  /** A call's request header block, as a Strand client sends it. */
  public static Http2Headers requestHeaders(
      AsciiString scheme,
      AsciiString path,
      AsciiString authority,
      AsciiString userAgent,
      Deadline deadline,
      Codec requestCodec,
      Metadata metadata) {
    Http2Headers headers =
        new DefaultHttp2Headers(false).method(POST).scheme(scheme).path(path).authority(authority);
    if (deadline != null) {
      headers.add(GRPC_TIMEOUT, GrpcTimeout.encode(deadline.remainingNanos()));
    }
    headers.add(CONTENT_TYPE, APPLICATION_GRPC);
    headers.add(TE, TRAILERS);
    headers.add(USER_AGENT, userAgent);
    if (requestCodec != null) {
      headers.add(GRPC_ENCODING, requestCodec.name());
    }
    headers.add(GRPC_ACCEPT_ENCODING, CodecRegistry.getDefault().acceptEncoding());
    addMetadata(headers, metadata);
    return headers;
  }

  /** Appends application metadata; reserved names are skipped, binary values base64'd unpadded. */
  public static void addMetadata(Http2Headers headers, Metadata metadata) {
    if (metadata == null) {
      return;
    }
    metadata.forEach(
        (key, value) -> {
          String header = metadataHeaderValue(key, value);
          if (header != null) {
            headers.add(key, header);
          }
        });
  }

  /** What a metadata entry sends as a header's value, or null if its name is reserved. */
  static String metadataHeaderValue(String key, Object value) {
    if (HeaderNames.isReserved(key)) {
      return null;
    }
    return value instanceof byte[] bytes
        ? Base64.getEncoder().withoutPadding().encodeToString(bytes)
        : (String) value;
  }

  /** The application metadata in a received header block. */
  public static Metadata toMetadata(Http2Headers headers) {
    Metadata md = new Metadata();
    if (headers instanceof InboundHeaders inbound) {
      for (int i = 0; i < inbound.regularCount(); i++) {
        addReceived(md, inbound.regularName(i), inbound.regularValue(i));
      }
    } else {
      for (Map.Entry<CharSequence, CharSequence> e : headers) {
        addReceived(md, e.getKey(), e.getValue());
      }
    }
    return md;
  }

  private static void addReceived(Metadata md, CharSequence name, CharSequence rawValue) {
    if (HeaderNames.isReserved(name)) {
      return;
    }
    String key = name.toString();
    if (!Metadata.isValidKey(key)) {
      return; // Not a legal gRPC key: ignore rather than fail the call.
    }
    String value = rawValue.toString();
    if (Metadata.isBinaryKey(key)) {
      // Values may have been joined with ',' by a proxy; each part is its own base64 value.
      for (String part : value.split(",", -1)) {
        byte[] decoded = decodeBase64(part.trim());
        if (decoded != null) {
          ReceivedMetadata.add(md, key, decoded);
        }
      }
    } else {
      ReceivedMetadata.add(md, key, value);
    }
  }

  /** Standard or URL-safe base64, padded or not; null if it is not base64 at all. */
  static byte[] decodeBase64(String value) {
    String v = value;
    int mod = v.length() % 4;
    if (!v.endsWith("=") && mod != 0) {
      v = v + "==".substring(0, 4 - mod == 3 ? 2 : 4 - mod);
    }
    try {
      return v.indexOf('-') >= 0 || v.indexOf('_') >= 0
          ? Base64.getUrlDecoder().decode(v)
          : Base64.getDecoder().decode(v);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  public static void addStatus(Http2Headers headers, Status status) {
    int code = status.code().value();
    headers.add(GRPC_STATUS, STATUS_CODES[code]);
    if (status.description() != null) {
      headers.add(GRPC_MESSAGE, PercentEncoding.encode(status.description()));
    }
  }

  /**
   * The status carried by a response's final header block. A block without grpc-status maps from
   * its HTTP status, as http-grpc-status-mapping.md says.
   */
  public static Status statusOf(Http2Headers headers, boolean trailersOnly) {
    CharSequence grpcStatus = headers.get(GRPC_STATUS);
    if (grpcStatus != null) {
      Status status;
      try {
        status = Status.fromCodeValue(Integer.parseInt(grpcStatus.toString()));
      } catch (NumberFormatException e) {
        return Status.UNKNOWN.withDescription("malformed grpc-status: '" + grpcStatus + "'");
      }
      CharSequence message = headers.get(GRPC_MESSAGE);
      return message == null ? status : status.withDescription(PercentEncoding.decode(message));
    }
    if (trailersOnly) {
      Status http = statusOfHttp(headers);
      if (http != null) {
        return http;
      }
    }
    return Status.UNKNOWN.withDescription("response ended without a grpc-status");
  }

  /** A status if this response head is not a gRPC one (bad :status or content-type), else null. */
  public static Status statusOfHttp(Http2Headers headers) {
    CharSequence httpStatus = headers.status();
    int code;
    try {
      code = httpStatus == null ? -1 : Integer.parseInt(httpStatus.toString());
    } catch (NumberFormatException e) {
      return Status.INTERNAL.withDescription("malformed :status '" + httpStatus + "'");
    }
    if (code != 200) {
      return code < 0
          ? Status.INTERNAL.withDescription("response has no :status")
          : HttpStatusMapping.forHttpStatus(code);
    }
    CharSequence contentType = headers.get(CONTENT_TYPE);
    if (!HeaderNames.isGrpcContentType(contentType)) {
      return Status.UNKNOWN.withDescription(
          "response is not gRPC: content-type '" + contentType + "' with HTTP status 200");
    }
    return null;
  }
}
