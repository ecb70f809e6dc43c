package dev.strand.e2e.semantics;

import dev.strand.wire.Codec;
import dev.strand.wire.CodecRegistry;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * "x-test-deflate": a user's own compression scheme (zlib deflate from java.util.zip), written once
 * for each side. Registering it with Strand's default registry is what a user would do; it stays
 * registered for the rest of the JVM, which only adds a name to grpc-accept-encoding.
 */
final class TestDeflate {
  static final String NAME = "x-test-deflate";

  /** Strand's side. Closing the streams ends their Deflater/Inflater. */
  static final Codec STRAND =
      new Codec() {
        @Override
        public String name() {
          return NAME;
        }

        @Override
        public OutputStream compress(OutputStream out) {
          return new DeflaterOutputStream(out);
        }

        @Override
        public InputStream decompress(InputStream in) {
          return new InflaterInputStream(in);
        }
      };

  /** grpc-java's side of the same scheme. */
  static final io.grpc.Codec GRPC =
      new io.grpc.Codec() {
        @Override
        public String getMessageEncoding() {
          return NAME;
        }

        @Override
        public OutputStream compress(OutputStream os) {
          return new DeflaterOutputStream(os);
        }

        @Override
        public InputStream decompress(InputStream is) {
          return new InflaterInputStream(is);
        }
      };

  private TestDeflate() {}

  static synchronized void registerWithStrand() {
    if (CodecRegistry.getDefault().lookup(NAME) == null) {
      CodecRegistry.getDefault().register(STRAND);
    }
  }

  static io.grpc.CompressorRegistry grpcCompressors() {
    io.grpc.CompressorRegistry registry = io.grpc.CompressorRegistry.newEmptyInstance();
    registry.register(new io.grpc.Codec.Gzip());
    registry.register(GRPC);
    return registry;
  }

  static io.grpc.DecompressorRegistry grpcDecompressors() {
    return io.grpc.DecompressorRegistry.getDefaultInstance().with(GRPC, true);
  }
}
