package dev.strand.web.client;

import dev.strand.Metadata;
import dev.strand.Status;
import dev.strand.internal.json.JsonException;
import dev.strand.internal.json.JsonReader;
import dev.strand.internal.wire.HeaderNames;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Connect's error JSON ({@code {"code": "not_found", "message": "...", "details": [...]}}) and
 * end-of-stream metadata, read into a gRPC status and trailers. Details become {@code
 * grpc-status-details-bin}, a google.rpc.Status, so code that reads gRPC's rich error model reads
 * them the same whichever protocol the call took.
 */
final class ConnectErrors {
  private static final String TYPE_URL_PREFIX = "type.googleapis.com/";

  private ConnectErrors() {}

  /** A Connect code name as a status code; null for a name Connect does not define. */
  static Status.Code code(String name) {
    if ("canceled".equals(name)) {
      return Status.Code.CANCELLED;
    }
    if (name == null || name.isEmpty() || "ok".equals(name) || "cancelled".equals(name)) {
      return null;
    }
    try {
      return Status.Code.valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException unknown) {
      return null;
    }
  }

  /**
   * The status an error object stands for; its details are added to {@code trailers}. {@code
   * fallback} is the code when the object names none (the HTTP status's, for a unary response).
   */
  static Status status(Object error, Status.Code fallback, Metadata trailers) {
    if (!(error instanceof Map<?, ?> fields)) {
      return fallback.toStatus().withDescription("Connect error is not a JSON object");
    }
    Status.Code code =
        fields.get("code") instanceof String name && code(name) != null ? code(name) : fallback;
    String message = fields.get("message") instanceof String m ? m : null;
    Status status = message == null ? code.toStatus() : code.toStatus().withDescription(message);
    if (fields.get("details") instanceof List<?> details && !details.isEmpty()) {
      trailers.addBinary(
          HeaderNames.GRPC_STATUS_DETAILS_BIN, richStatus(code.value(), message, details));
    }
    return status;
  }

  /** Parses the body of a unary error response. */
  static Status unaryError(byte[] body, int httpStatus, Metadata trailers) {
    Status.Code fallback = dev.strand.internal.wire.HttpStatusMapping.codeForHttpStatus(httpStatus);
    try {
      return status(JsonReader.parse(new String(body, StandardCharsets.UTF_8)), fallback, trailers);
    } catch (JsonException e) {
      return fallback
          .toStatus()
          .withDescription("HTTP status " + httpStatus + " with a body that is not Connect's JSON");
    }
  }

  /**
   * The end-of-stream message: its {@code metadata} into {@code trailers}, and its {@code error} or
   * OK.
   */
  static Status endOfStream(byte[] json, Metadata trailers) {
    Object parsed;
    try {
      parsed = JsonReader.parse(new String(json, StandardCharsets.UTF_8));
    } catch (JsonException e) {
      return Status.INTERNAL.withDescription("Connect end-of-stream message is not JSON: " + e);
    }
    if (!(parsed instanceof Map<?, ?> end)) {
      return Status.INTERNAL.withDescription("Connect end-of-stream message is not an object");
    }
    if (end.get("metadata") instanceof Map<?, ?> metadata) {
      for (Map.Entry<?, ?> entry : metadata.entrySet()) {
        if (entry.getValue() instanceof List<?> values) {
          for (Object value : values) {
            if (value instanceof String s) {
              WebHeaders.add(trailers, ((String) entry.getKey()).toLowerCase(Locale.ROOT), s);
            }
          }
        }
      }
    }
    Object error = end.get("error");
    return error == null ? Status.OK : status(error, Status.Code.UNKNOWN, trailers);
  }

  /** google.rpc.Status {code = 1, message = 2, details = 3 (Any: type_url = 1, value = 2)}. */
  private static byte[] richStatus(int code, String message, List<?> details) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (code != 0) {
      tag(out, 1, 0);
      varint(out, code);
    }
    if (message != null && !message.isEmpty()) {
      bytesField(out, 2, message.getBytes(StandardCharsets.UTF_8));
    }
    for (Object detail : details) {
      if (detail instanceof Map<?, ?> fields
          && fields.get("type") instanceof String type
          && fields.get("value") instanceof String value) {
        ByteArrayOutputStream any = new ByteArrayOutputStream();
        bytesField(any, 1, (TYPE_URL_PREFIX + type).getBytes(StandardCharsets.UTF_8));
        try {
          bytesField(any, 2, Base64.getDecoder().decode(value.replace("=", "")));
        } catch (IllegalArgumentException notBase64) {
          continue;
        }
        bytesField(out, 3, any.toByteArray());
      }
    }
    return out.toByteArray();
  }

  private static void bytesField(ByteArrayOutputStream out, int field, byte[] bytes) {
    tag(out, field, 2);
    varint(out, bytes.length);
    out.write(bytes, 0, bytes.length);
  }

  private static void tag(ByteArrayOutputStream out, int field, int wireType) {
    varint(out, (field << 3) | wireType);
  }

  private static void varint(ByteArrayOutputStream out, long value) {
    while ((value & ~0x7FL) != 0) {
      out.write((int) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    out.write((int) value);
  }
}
