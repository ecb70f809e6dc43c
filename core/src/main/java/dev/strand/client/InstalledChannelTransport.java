package dev.strand.client;

import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The installed {@link ChannelTransport}s, looked up once, on first use: for each protocol the one
 * of highest priority that speaks it.
 */
final class InstalledChannelTransport {
  private static final Map<WireProtocol, ChannelTransport> BY_PROTOCOL = load();

  /** The transport for {@code protocol}; fails saying which module is missing. */
  static ChannelTransport forProtocol(WireProtocol protocol) {
    ChannelTransport transport = BY_PROTOCOL.get(protocol);
    if (transport == null) {
      throw new IllegalStateException(
          protocol == WireProtocol.GRPC
              ? "no ChannelTransport found: strand-core's "
                  + "META-INF/services entry is missing from the class path"
              : "no ChannelTransport speaks "
                  + protocol
                  + ": add strand-web to the class or module path");
    }
    return transport;
  }

  private static Map<WireProtocol, ChannelTransport> load() {
    List<ChannelTransport> installed =
        ServiceLoader.load(ChannelTransport.class, ChannelTransport.class.getClassLoader()).stream()
            .map(ServiceLoader.Provider::get)
            .toList();
    Map<WireProtocol, ChannelTransport> best = new EnumMap<>(WireProtocol.class);
    for (WireProtocol protocol : WireProtocol.values()) {
      installed.stream()
          .filter(transport -> transport.speaks(protocol))
          .max(Comparator.comparingInt(ChannelTransport::priority))
          .ifPresent(transport -> best.put(protocol, transport));
    }
    return best;
  }

  private InstalledChannelTransport() {}
}
