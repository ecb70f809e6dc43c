package dev.strand.server;

import java.io.IOException;

/**
 * The transport SPI, server side: serves calls over some transport (HTTP/2 on Netty is Strand's
 * own; an in-process one is planned). Found with {@link java.util.ServiceLoader}: the one of
 * highest {@link #priority()} serves every {@code Server.builder()...start()}. The API knows only
 * this interface, never a transport. It lives beside the API it serves, as grpc-java's providers
 * do, so that the API never depends on a package above it.
 */
public interface ServerTransport {
  /** A short name for messages and logs, such as "netty". */
  String name();

  /** Higher wins when several are available. */
  default int priority() {
    return 0;
  }

  /** Binds and starts serving; throws if it cannot listen. */
  Server start(ServerSettings settings) throws IOException;
}
