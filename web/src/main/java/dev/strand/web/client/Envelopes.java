package dev.strand.web.client;

import java.nio.ByteBuffer;

/**
 * Reads 5-byte-prefixed envelopes (a flags byte, a 4-byte big-endian length, the payload) from a
 * body that arrives in pieces of any size: gRPC-Web's messages and trailer frame, and Connect's
 * streaming messages and end-of-stream message, share this framing.
 */
final class Envelopes {
  /** One whole envelope. */
  record Envelope(int flags, byte[] payload) {}

  /** An envelope whose declared length is over the limit; the body cannot be read further. */
  static final class TooLargeException extends Exception {
    private static final long serialVersionUID = 1L;

    TooLargeException(long length, int limit) {
      super("a message of " + length + " bytes is over the limit of " + limit);
    }
  }

  private final int maxPayload;
  private final byte[] prefix = new byte[5];
  private int prefixFilled;
  private byte[] payload;
  private int payloadFilled;

  Envelopes(int maxPayload) {
    this.maxPayload = maxPayload;
  }

  /** The next whole envelope from {@code in}, or null once {@code in} is used up without one. */
  Envelope next(ByteBuffer in) throws TooLargeException {
    if (payload == null) {
      int take = Math.min(5 - prefixFilled, in.remaining());
      in.get(prefix, prefixFilled, take);
      prefixFilled += take;
      if (prefixFilled < 5) {
        return null;
      }
      long length =
          ((prefix[1] & 0xffL) << 24)
              | ((prefix[2] & 0xff) << 16)
              | ((prefix[3] & 0xff) << 8)
              | (prefix[4] & 0xff);
      if (length > maxPayload) {
        throw new TooLargeException(length, maxPayload);
      }
      payload = new byte[(int) length];
      payloadFilled = 0;
    }
    int take = Math.min(payload.length - payloadFilled, in.remaining());
    in.get(payload, payloadFilled, take);
    payloadFilled += take;
    if (payloadFilled < payload.length) {
      return null;
    }
    Envelope whole = new Envelope(prefix[0] & 0xff, payload);
    payload = null;
    prefixFilled = 0;
    return whole;
  }

  /** True when the body so far ended between envelopes, not inside one. */
  boolean atBoundary() {
    return payload == null && prefixFilled == 0;
  }

  /** {@code payload} behind a prefix with {@code flags}. */
  static byte[] frame(int flags, byte[] payload) {
    byte[] framed = new byte[5 + payload.length];
    framed[0] = (byte) flags;
    int length = payload.length;
    framed[1] = (byte) (length >>> 24);
    framed[2] = (byte) (length >>> 16);
    framed[3] = (byte) (length >>> 8);
    framed[4] = (byte) length;
    System.arraycopy(payload, 0, framed, 5, length);
    return framed;
  }
}
