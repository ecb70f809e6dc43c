package dev.strand.e2e;

import io.grpc.testing.TlsTesting;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * gRPC's standard test certificates (from grpc-testing's jar), copied once to temp files because
 * Strand's builders take paths. server1 is valid for *.test.google.fr, signed by ca; client is
 * "CN=testclient", signed by the same ca.
 */
public final class TestCerts {
  /** An authority server1.pem is valid for; calls go to 127.0.0.1 but check this name. */
  public static final String AUTHORITY = "foo.test.google.fr";

  private static final Path DIR = createDir();
  public static final Path CA = copy("ca.pem");
  public static final Path SERVER_CERT = copy("server1.pem");
  public static final Path SERVER_KEY = copy("server1.key");
  public static final Path CLIENT_CERT = copy("client.pem");
  public static final Path CLIENT_KEY = copy("client.key");

  private TestCerts() {}

  private static Path createDir() {
    try {
      Path dir = Files.createTempDirectory("strand-e2e-certs");
      dir.toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path copy(String name) {
    Path target = DIR.resolve(name);
    try (InputStream in = TlsTesting.loadCert(name)) {
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    target.toFile().deleteOnExit();
    return target;
  }
}
