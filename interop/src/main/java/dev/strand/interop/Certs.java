package dev.strand.interop;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where gRPC's interop test certificates are: ca.pem, server1.pem and server1.key, unpacked from
 * grpc-testing's jar into interop/target/certs by the build. The scripts pass the directory as
 * {@code -Dstrand.interop.certs}; without it the usual relative places are tried.
 */
final class Certs {
  private Certs() {}

  static Path dir() {
    String configured = System.getProperty("strand.interop.certs");
    if (configured != null) {
      return Path.of(configured);
    }
    for (String candidate : new String[] {"interop/target/certs", "target/certs"}) {
      Path p = Path.of(candidate);
      if (Files.isRegularFile(p.resolve("ca.pem"))) {
        return p;
      }
    }
    throw new IllegalStateException(
        "interop certificates not found: build the interop module "
            + "or pass -Dstrand.interop.certs=DIR");
  }

  static Path file(String name) {
    Path p = dir().resolve(name);
    if (!Files.isRegularFile(p)) {
      throw new IllegalStateException("missing certificate file " + p);
    }
    return p;
  }
}
