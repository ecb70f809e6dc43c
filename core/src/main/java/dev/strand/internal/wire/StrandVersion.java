package dev.strand.internal.wire;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The library version, read from a resource the build fills in. */
public final class StrandVersion {
  private static final String VERSION = load();

  private StrandVersion() {}

  public static String version() {
    return VERSION;
  }

  /** {@code strand-java/<version>}, the user-agent's product token. */
  public static String userAgent() {
    return "strand-java/" + VERSION;
  }

  private static String load() {
    try (InputStream in =
        StrandVersion.class.getResourceAsStream("/dev/strand/strand-version.properties")) {
      if (in == null) {
        return "dev";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "dev");
    } catch (IOException e) {
      return "dev";
    }
  }
}
