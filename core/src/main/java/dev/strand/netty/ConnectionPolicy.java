package dev.strand.netty;

import java.time.Duration;

/**
 * How a server keeps its connections healthy and bounded (A8, A9, keepalive.md). A null
 * duration means "never".
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

  /** gRPC's defaults, plus bounds against idle and slow attackers. */
  public static final ConnectionPolicy DEFAULT = new ConnectionPolicy(
      Duration.ofHours(2), Duration.ofSeconds(20), Duration.ofMinutes(5), false,
      null, null, null, Duration.ofSeconds(20), 10_000);
}
