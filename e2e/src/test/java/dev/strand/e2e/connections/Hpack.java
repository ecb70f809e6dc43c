package dev.strand.e2e.connections;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Hand-made HPACK header blocks (RFC 7541), for blocks no well-behaved encoder would produce: empty
 * names, one entry referenced thousands of times. Nothing is Huffman-coded.
 */
final class Hpack {
  /** Index of the first dynamic table entry (the static table has 61). */
  static final int FIRST_DYNAMIC = 62;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** The headers of a well-formed gRPC request, as literals that touch no dynamic table. */
  static Hpack request(String fullMethodName) {
    return new Hpack()
        .indexed(3) // :method POST
        .indexed(6) // :scheme http
        .literal(":path", "/" + fullMethodName)
        .literal(":authority", "127.0.0.1")
        .literal("content-type", "application/grpc")
        .literal("te", "trailers");
  }

  /** Indexed header field (6.1): one byte for an index below 127. */
  Hpack indexed(int index) {
    integer(0x80, 7, index);
    return this;
  }

  /** Literal without indexing, new name (6.2.2): leaves the dynamic table alone. */
  Hpack literal(String name, String value) {
    out.write(0x00);
    string(name);
    string(value);
    return this;
  }

  /** Literal with incremental indexing, new name (6.2.1): becomes dynamic entry 62. */
  Hpack literalIndexed(String name, String value) {
    out.write(0x40);
    string(name);
    string(value);
    return this;
  }

  byte[] bytes() {
    return out.toByteArray();
  }

  int size() {
    return out.size();
  }

  private void string(String s) {
    byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
    integer(0x00, 7, b.length);
    out.write(b, 0, b.length);
  }

  /** An HPACK integer (5.1) with an n-bit prefix, OR-ed into {@code flags}. */
  private void integer(int flags, int prefixBits, int value) {
    int max = (1 << prefixBits) - 1;
    if (value < max) {
      out.write(flags | value);
      return;
    }
    out.write(flags | max);
    value -= max;
    while (value >= 128) {
      out.write((value & 0x7f) | 0x80);
      value >>>= 7;
    }
    out.write(value);
  }
}
