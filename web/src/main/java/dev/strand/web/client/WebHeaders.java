package dev.strand.web.client;

import dev.strand.Metadata;
import dev.strand.internal.wire.HeaderNames;
import dev.strand.wire.Codec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Metadata to and from HTTP/1.1 headers, and message compression, as both web protocols do it. */
final class WebHeaders {
  /** Headers of HTTP/1.1 itself, never metadata. */
  private static final List<String> HTTP_ONLY =
      List.of("content-length", "date", "server", "vary", "content-encoding", "accept-encoding");

  private WebHeaders() {}

  /** The call's metadata as request headers; binary values in base64, padded or not. */
  static void write(HttpRequest.Builder request, Metadata metadata, boolean padded) {
    Base64.Encoder base64 = padded ? Base64.getEncoder() : Base64.getEncoder().withoutPadding();
    metadata.forEach(
        (key, value) -> {
          if (HeaderNames.isReserved(key)) {
            return; // the protocol's own, set by the wire
          }
          request.header(
              key, value instanceof byte[] bytes ? base64.encodeToString(bytes) : (String) value);
        });
  }

  /**
   * The response headers that are metadata: not HTTP/1.1's own, not the protocol's, and not those
   * {@code prefix} marks as trailers (Connect's {@code trailer-}) unless {@code prefix} names them.
   */
  static Metadata read(HttpHeaders headers, String trailerPrefix, boolean trailers) {
    Metadata metadata = new Metadata();
    for (Map.Entry<String, List<String>> header : headers.map().entrySet()) {
      String name = header.getKey().toLowerCase(Locale.ROOT);
      boolean isTrailer = trailerPrefix != null && name.startsWith(trailerPrefix);
      if (isTrailer != trailers) {
        continue;
      }
      String key = isTrailer ? name.substring(trailerPrefix.length()) : name;
      if (HeaderNames.isReserved(key) || HTTP_ONLY.contains(key) || key.startsWith("connect-")) {
        continue;
      }
      for (String value : header.getValue()) {
        add(metadata, key, value);
      }
    }
    return metadata;
  }

  /** Adds one received entry; one that is not valid metadata is dropped, as gRPC does. */
  static void add(Metadata metadata, String key, String value) {
    try {
      if (Metadata.isBinaryKey(key)) {
        metadata.addBinary(key, Base64.getDecoder().decode(unpadded(value.trim())));
      } else {
        metadata.add(key, value);
      }
    } catch (IllegalArgumentException notMetadata) {
      // an invalid key, a value that is not printable ASCII, or base64 that is not
    }
  }

  /** Base64 with its padding taken off, which Java's decoder then reads either way. */
  private static String unpadded(String value) {
    int end = value.length();
    while (end > 0 && value.charAt(end - 1) == '=') {
      end--;
    }
    return value.substring(0, end);
  }

  static byte[] compress(Codec codec, byte[] message) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(message.length / 2 + 16);
    try (OutputStream compressing = codec.compress(out)) {
      compressing.write(message);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Decompresses, refusing to grow past {@code limit} bytes (a small bomb is a big message). */
  static byte[] decompress(Codec codec, byte[] compressed, int limit) throws IOException {
    try (InputStream in = codec.decompress(new ByteArrayInputStream(compressed))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(compressed.length * 2 + 16);
      byte[] chunk = new byte[8192];
      int read;
      while ((read = in.read(chunk)) != -1) {
        if (out.size() + read > limit) {
          throw new TooLargeException(limit);
        }
        out.write(chunk, 0, read);
      }
      return out.toByteArray();
    }
  }

  /** A message that decompresses past the limit. */
  static final class TooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    TooLargeException(int limit) {
      super("a compressed message decompresses past the limit of " + limit + " bytes");
    }
  }
}
