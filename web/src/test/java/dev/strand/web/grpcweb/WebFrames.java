package dev.strand.web.grpcweb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.MessageLite;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** gRPC-Web bodies for the wire tests: 5-byte frames, base64 text, trailer frames. */
public final class WebFrames {
  private WebFrames() {}

  /** One length-prefixed frame: its flag byte and payload. */
  public record Frame(int flags, byte[] payload) {
    boolean isTrailers() {
      return (flags & 0x80) != 0;
    }

    /** The trailer lines, split as PROTOCOL-WEB.md's HTTP/1 header block. */
    Map<String, String> trailers() {
      Map<String, String> fields = new LinkedHashMap<>();
      for (String line : new String(payload, StandardCharsets.ISO_8859_1).split("\r\n")) {
        int colon = line.indexOf(':');
        fields.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
      }
      return fields;
    }
  }

  public static byte[] frame(int flags, byte[] payload) {
    return ByteBuffer.allocate(5 + payload.length)
        .put((byte) flags)
        .putInt(payload.length)
        .put(payload)
        .array();
  }

  public static byte[] message(MessageLite message) {
    return frame(0, message.toByteArray());
  }

  static byte[] text(byte[] binary) {
    return Base64.getEncoder().encode(binary);
  }

  /** Cuts a binary body into its frames; a body that ends inside one fails the test. */
  public static List<Frame> parse(byte[] body) {
    List<Frame> frames = new ArrayList<>();
    ByteBuffer in = ByteBuffer.wrap(body);
    for (int guard = 0; in.hasRemaining() && guard < 10_000; guard++) {
      int flags = in.get() & 0xff;
      byte[] payload = new byte[in.getInt()];
      in.get(payload);
      frames.add(new Frame(flags, payload));
    }
    return frames;
  }

  /**
   * Decodes a text response as a browser client must, one DATA frame at a time: each must hold
   * whole 4-character groups (padding may end any of them), so it decodes as soon as it arrives.
   */
  static byte[] decodeTextFrames(List<byte[]> dataFrames) {
    ByteArrayOutputStream decoded = new ByteArrayOutputStream();
    for (byte[] frame : dataFrames) {
      assertEquals(0, frame.length % 4, () -> "a DATA frame of partial base64 groups");
      for (int i = 0; i < frame.length; i += 4) {
        byte[] group = new byte[4];
        System.arraycopy(frame, i, group, 0, 4);
        decoded.writeBytes(Base64.getDecoder().decode(group));
      }
    }
    return decoded.toByteArray();
  }
}
