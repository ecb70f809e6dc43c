package dev.strand.server;

import java.util.Comparator;
import java.util.ServiceLoader;

/** The installed {@link ServerTransport} of highest priority, looked up once, on first use. */
final class InstalledServerTransport {
  static final ServerTransport BEST =
      ServiceLoader.load(ServerTransport.class, ServerTransport.class.getClassLoader()).stream()
          .map(ServiceLoader.Provider::get)
          .max(Comparator.comparingInt(ServerTransport::priority))
          .orElseThrow(
              () ->
                  new IllegalStateException(
                      "no ServerTransport found: strand-core's "
                          + "META-INF/services entry is missing from the class path"));

  private InstalledServerTransport() {}
}
