package dev.strand.client;

import java.util.Comparator;
import java.util.ServiceLoader;

/** The installed {@link ChannelTransport} of highest priority, looked up once, on first use. */
final class InstalledChannelTransport {
  static final ChannelTransport BEST =
      ServiceLoader.load(ChannelTransport.class, ChannelTransport.class.getClassLoader()).stream()
          .map(ServiceLoader.Provider::get)
          .max(Comparator.comparingInt(ChannelTransport::priority))
          .orElseThrow(
              () ->
                  new IllegalStateException(
                      "no ChannelTransport found: strand-core's "
                          + "META-INF/services entry is missing from the class path"));

  private InstalledChannelTransport() {}
}
