package dev.strand.client;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything a channel was built with, as a transport reads it. An interface, not a record, so that
 * a new option is a new method with a default and no transport breaks. A null duration means
 * "never".
 */
public interface ChannelSettings {
  /** What the channel connects to, as the user wrote it. */
  String target();

  boolean tls();

  /** PEM CA the server's certificate must chain to; null for the JDK's trust store. */
  Path trustedCa();

  /** PEM certificate chain and key for mutual TLS; null for none. */
  Path clientCertChain();

  Path clientKey();

  /** The {@code :authority} to send and check the certificate against; null for the target's. */
  String authorityOverride();

  /** Put before Strand's own user agent; null for Strand's alone. */
  String userAgent();

  int maxInboundMessageSize();

  int maxHeaderListSize();

  int initialStreamWindow();

  List<ClientInterceptor> interceptors();

  /** The encoding requests are compressed with; null for none. */
  String compression();

  /** The deadline of calls that set none; null for none. */
  Duration defaultTimeout();

  Backoff backoff();

  Duration keepAliveTime();

  Duration keepAliveTimeout();

  boolean keepAliveWithoutCalls();

  /** Resolvers for target schemes, ahead of those installed; empty for the installed ones. */
  default List<dev.strand.spi.NameResolverProvider> nameResolvers() {
    return List.of();
  }

  /**
   * Idle mode after this long without calls (connections close, the channel is IDLE); null: never.
   */
  default java.time.Duration idleTimeout() {
    return java.time.Duration.ofMinutes(30);
  }

  /**
   * How calls spread over the target's addresses: a policy's name, "pick_first" (the default),
   * "round_robin", or one of {@link #loadBalancers} or of those installed.
   */
  default String loadBalancingPolicy() {
    return "pick_first";
  }

  /** Policies by name, ahead of those installed and built in; empty for those alone. */
  default List<dev.strand.spi.LoadBalancerProvider> loadBalancers() {
    return List.of();
  }

  /**
   * The service config (service_config.md) in its JSON form, already validated by the builder, that
   * the channel's calls follow; null for none.
   */
  default String defaultServiceConfig() {
    return null;
  }

  /** Whether a service config the resolver hands over replaces the default (true by default). */
  default boolean serviceConfigLookUp() {
    return true;
  }

  /** Watches every call; null for none. */
  default dev.strand.spi.ClientCallTracer tracer() {
    return null;
  }

  /** How the channel's calls travel; gRPC over HTTP/2 unless the builder chose a web protocol. */
  default WireProtocol protocol() {
    return WireProtocol.GRPC;
  }
}
