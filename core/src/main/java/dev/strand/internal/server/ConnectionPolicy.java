package dev.strand.internal.server;

import dev.strand.server.ServerSettings;
import java.time.Duration;

/**
 * How a server keeps its connections healthy and bounded (A8, A9, keepalive.md). A null duration
 * means "never".
 */
public record ConnectionPolicy(
    Duration keepAliveTime,
    Duration keepAliveTimeout,
    Duration permitKeepAliveTime,
    boolean permitKeepAliveWithoutCalls,
    Duration maxConnectionIdle,
    Duration maxConnectionAge,
    Duration maxConnectionAgeGrace,
    Duration handshakeTimeout,
    int maxConnections) {

  public static ConnectionPolicy of(ServerSettings s) {
    return new ConnectionPolicy(
        s.keepAliveTime(),
        s.keepAliveTimeout(),
        s.permitKeepAliveTime(),
        s.permitKeepAliveWithoutCalls(),
        s.maxConnectionIdle(),
        s.maxConnectionAge(),
        s.maxConnectionAgeGrace(),
        s.handshakeTimeout(),
        s.maxConnections());
  }
}
