package dev.strand.client;

/**
 * The transport SPI, client side: makes channels over some transport, found with {@link
 * java.util.ServiceLoader} as {@link dev.strand.server.ServerTransport} is: the available one of
 * highest {@link #priority()} makes every {@code Channel.to(...)...build()}.
 */
public interface ChannelTransport {
  /** A short name for messages and logs, such as "netty". */
  String name();

  /** Higher wins when several are available. */
  default int priority() {
    return 0;
  }

  /** A channel to {@code settings.target()}; connects lazily, on the first call. */
  ManagedChannel create(ChannelSettings settings);

  /** Whether this transport's channels speak {@code protocol}; gRPC alone unless it says more. */
  default boolean speaks(WireProtocol protocol) {
    return protocol == WireProtocol.GRPC;
  }
}
