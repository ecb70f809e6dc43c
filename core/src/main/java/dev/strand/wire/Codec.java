package dev.strand.wire;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A message compression scheme named in {@code grpc-encoding}. Each message gets a fresh
 * compression context, as the spec requires.
 */
public interface Codec {
  /** The name on the wire, e.g. "gzip". */
  String name();

  OutputStream compress(OutputStream out) throws IOException;

  InputStream decompress(InputStream in) throws IOException;

  /** gzip, per RFC 1952. */
  Codec GZIP =
      new Codec() {
        @Override
        public String name() {
          return "gzip";
        }

        @Override
        public OutputStream compress(OutputStream out) throws IOException {
          return new java.util.zip.GZIPOutputStream(out, 8192);
        }

        @Override
        public InputStream decompress(InputStream in) throws IOException {
          return new java.util.zip.GZIPInputStream(in, 8192);
        }
      };
}
