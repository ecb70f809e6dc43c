package dev.strand.bench;

/** gRPC's length-prefixed message framing, for request bodies that h2load sends as they are. */
public final class GrpcFrames {
  private GrpcFrames() {}

  /** The message behind its 5-byte prefix: not compressed, then the length, big-endian. */
  public static byte[] frame(byte[] msg) {
    byte[] framed = new byte[5 + msg.length];
    framed[1] = (byte) (msg.length >>> 24);
    framed[2] = (byte) (msg.length >>> 16);
    framed[3] = (byte) (msg.length >>> 8);
    framed[4] = (byte) msg.length;
    System.arraycopy(msg, 0, framed, 5, msg.length);
    return framed;
  }
}
