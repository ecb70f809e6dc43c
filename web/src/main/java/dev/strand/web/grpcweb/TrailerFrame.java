package dev.strand.web.grpcweb;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http2.Http2Headers;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * gRPC-Web's trailers: the last length-prefixed frame of the body, flag 0x80, holding the trailers
 * as HTTP/1 header lines, lower-case {@code name:value\r\n} each, no blank line after them
 * (PROTOCOL-WEB.md). What gRPC would send in its trailing HEADERS frame goes here unchanged:
 * grpc-status, the percent-encoded grpc-message, trailing metadata ({@code -bin} values in base64).
 */
final class TrailerFrame {
  /** The flag byte: trailers, not compressed. */
  static final int TRAILERS = 0x80;

  private TrailerFrame() {}

  static ByteBuf of(Http2Headers trailers, ByteBufAllocator alloc) {
    ByteBuf frame = alloc.buffer(64);
    frame.writeByte(TRAILERS);
    frame.writeInt(0); // the length, set below
    for (Map.Entry<CharSequence, CharSequence> field : trailers) {
      // Header values are octets: Latin-1 keeps each one as it is.
      frame.writeCharSequence(field.getKey(), StandardCharsets.ISO_8859_1);
      frame.writeByte(':');
      frame.writeCharSequence(field.getValue(), StandardCharsets.ISO_8859_1);
      frame.writeByte('\r').writeByte('\n');
    }
    frame.setInt(1, frame.readableBytes() - 5);
    return frame;
  }
}
