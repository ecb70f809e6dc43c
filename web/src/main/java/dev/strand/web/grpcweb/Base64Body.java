package dev.strand.web.grpcweb;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;
import java.util.Base64;

/**
 * The base64 of {@code application/grpc-web-text} bodies. Decoding runs as the body arrives, in
 * whatever pieces it comes: a 4-character group split across reads is held until it is whole, and
 * padding may end any group (PROTOCOL-WEB.md lets a sender pad wherever it flushed), so padded
 * chunks may follow one another. Anything else outside the standard alphabet is an error. One
 * instance per request body; not thread-safe.
 */
final class Base64Body {
  private static final byte PAD = -2;
  private static final byte INVALID = -1;
  private static final byte[] VALUES = new byte[256];

  static {
    java.util.Arrays.fill(VALUES, INVALID);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < alphabet.length(); i++) {
      VALUES[alphabet.charAt(i)] = (byte) i;
    }
    VALUES['='] = PAD;
  }

  private final byte[] group = new byte[4];
  private int held;
  private long offset;

  /** Not base64: the body is malformed. */
  static final class MalformedException extends Exception {
    MalformedException(String message) {
      super(message);
    }
  }

  /** Decodes what {@code in} holds (consumed, not released), keeping an unfinished group. */
  ByteBuf decode(ByteBuf in, ByteBufAllocator alloc) throws MalformedException {
    ByteBuf out = alloc.buffer((held + in.readableBytes()) / 4 * 3);
    try {
      int end = in.writerIndex();
      for (int i = in.readerIndex(); i < end; i++) {
        byte value = VALUES[in.getByte(i) & 0xff];
        if (value == INVALID) {
          throw new MalformedException(
              String.format(
                  "not base64 at byte %d of the body: 0x%02x", offset, in.getByte(i) & 0xff));
        }
        offset++;
        group[held++] = value;
        if (held == 4) {
          held = 0;
          writeGroup(out);
        }
      }
      in.readerIndex(end);
      return out;
    } catch (MalformedException e) {
      out.release();
      throw e;
    }
  }

  /** True if the body so far ends inside a 4-character group: truncated, if it ends here. */
  boolean midGroup() {
    return held != 0;
  }

  private void writeGroup(ByteBuf out) throws MalformedException {
    byte a = group[0];
    byte b = group[1];
    byte c = group[2];
    byte d = group[3];
    if (a == PAD || b == PAD || (c == PAD && d != PAD)) {
      throw new MalformedException(
          "misplaced base64 padding before byte " + offset + " of the body");
    }
    out.writeByte((a << 2) | (b >> 4));
    if (c != PAD) {
      out.writeByte(((b & 0xf) << 4) | (c >> 2));
      if (d != PAD) {
        out.writeByte(((c & 0x3) << 6) | d);
      }
    }
  }

  /**
   * The base64 of {@code data} (released) as a buffer of its own, padded, so a client can decode it
   * on its own: each message and the trailer frame leave as whole groups (GRPC-WEB-DETAILS.md: the
   * official client decodes only whole groups as they arrive). {@code headroom} free bytes precede
   * it for the stream's frame header.
   */
  static ByteBuf encode(ByteBuf data, ByteBufAllocator alloc, int headroom) {
    try {
      ByteBuffer encoded = Base64.getEncoder().encode(data.nioBuffer());
      ByteBuf out = alloc.buffer(headroom + encoded.remaining());
      out.writerIndex(headroom).readerIndex(headroom);
      out.writeBytes(encoded);
      return out;
    } finally {
      data.release();
    }
  }
}
