package dev.strand.web.connect;

import dev.strand.Status;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The JSON Connect writes itself: the Error object (a failed unary call's body, the "error" of a
 * stream's end) and the EndStreamResponse (CONNECT-PROTOCOL.md, Error and EndStreamResponse).
 * Details carry "type" and unpadded base64 "value"; "debug" is left out (clients must not rely on
 * it, and printing it would need every detail's type at hand).
 */
final class ConnectJson {
  private static final Base64.Encoder UNPADDED = Base64.getEncoder().withoutPadding();

  private ConnectJson() {}

  /** One enveloped message: flags, a 4-byte length, the bytes (an end-of-stream message's JSON). */
  static ByteBuf envelope(int flags, byte[] message, ByteBufAllocator alloc) {
    return alloc
        .buffer(5 + message.length)
        .writeByte(flags)
        .writeInt(message.length)
        .writeBytes(message);
  }

  /** {@code {"code": ..., "message": ..., "details": [...]}} for a status that is not OK. */
  static byte[] error(Status status, byte[] rpcStatusDetails) {
    StringBuilder json = new StringBuilder(64);
    appendError(json, status, rpcStatusDetails);
    return json.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The end of a stream: {@code "error"} unless the status is OK, {@code "metadata"} (each key's
   * values in order) when there are trailers.
   */
  static byte[] endStream(
      Status status, byte[] rpcStatusDetails, Map<String, List<String>> trailers) {
    StringBuilder json = new StringBuilder(32).append('{');
    boolean first = true;
    if (!status.isOk()) {
      json.append("\"error\":");
      appendError(json, status, rpcStatusDetails);
      first = false;
    }
    if (!trailers.isEmpty()) {
      json.append(first ? "" : ",").append("\"metadata\":{");
      boolean firstKey = true;
      for (Map.Entry<String, List<String>> entry : trailers.entrySet()) {
        json.append(firstKey ? "" : ",");
        appendString(json, entry.getKey());
        json.append(":[");
        for (int i = 0; i < entry.getValue().size(); i++) {
          json.append(i == 0 ? "" : ",");
          appendString(json, entry.getValue().get(i));
        }
        json.append(']');
        firstKey = false;
      }
      json.append('}');
    }
    return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void appendError(StringBuilder json, Status status, byte[] rpcStatusDetails) {
    json.append("{\"code\":\"").append(ConnectCodes.name(status.code())).append('"');
    if (status.description() != null && !status.description().isEmpty()) {
      json.append(",\"message\":");
      appendString(json, status.description());
    }
    List<StatusDetails.Detail> details =
        rpcStatusDetails == null ? List.of() : StatusDetails.parse(rpcStatusDetails);
    if (!details.isEmpty()) {
      json.append(",\"details\":[");
      for (int i = 0; i < details.size(); i++) {
        StatusDetails.Detail detail = details.get(i);
        json.append(i == 0 ? "" : ",").append("{\"type\":");
        appendString(json, detail.typeName());
        json.append(",\"value\":\"").append(UNPADDED.encodeToString(detail.value())).append("\"}");
      }
      json.append(']');
    }
    json.append('}');
  }

  /** A JSON string (RFC 8259): quotes, backslashes and control characters escaped. */
  static void appendString(StringBuilder json, String value) {
    json.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        default -> {
          if (c < 0x20) {
            json.append(String.format("\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    json.append('"');
  }
}
