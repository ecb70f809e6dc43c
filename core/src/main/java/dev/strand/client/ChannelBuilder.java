package dev.strand.client;

import dev.strand.internal.config.ServiceConfigParser;
import dev.strand.internal.lb.LoadBalancers;
import dev.strand.spi.ClientCallTracer;
import dev.strand.spi.LoadBalancerProvider;
import dev.strand.spi.NameResolverProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Configures a {@link ManagedChannel}. Start one with {@link Channel#to(String)}. */
public final class ChannelBuilder {
  private final String target;
  private boolean tls = true;
  private Path trustedCa;
  private Path clientCertChain;
  private Path clientKey;
  private String authorityOverride;
  private String userAgent;
  private int maxInboundMessageSize = 4 * 1024 * 1024;
  private int maxHeaderListSize = 8 * 1024;
  private int initialStreamWindow = 1024 * 1024;
  private final List<ClientInterceptor> interceptors = new ArrayList<>();
  private String compression;
  private java.time.Duration defaultTimeout;
  private Backoff backoff = Backoff.DEFAULT;
  private java.time.Duration keepAliveTime;
  private java.time.Duration keepAliveTimeout = java.time.Duration.ofSeconds(20);
  private boolean keepAliveWithoutCalls;
  private ClientCallTracer tracer;
  private final List<NameResolverProvider> nameResolvers = new java.util.ArrayList<>();
  private String loadBalancingPolicy = "pick_first";
  private final List<LoadBalancerProvider> loadBalancers = new java.util.ArrayList<>();
  private java.time.Duration idleTimeout = java.time.Duration.ofMinutes(30);
  private String defaultServiceConfig;
  private boolean serviceConfigLookUp = true;
  private WireProtocol protocol = WireProtocol.GRPC;

  ChannelBuilder(String target) {
    this.target = target;
  }

  /** Cleartext HTTP/2 with prior knowledge (h2c). The default is TLS. */
  /** The target this builder's channel will reach, as it was given. */
  public String target() {
    return target;
  }

  public ChannelBuilder plaintext() {
    this.tls = false;
    return this;
  }

  /** TLS, trusting the JDK's default CA store unless {@link #trustCa} is set. */
  public ChannelBuilder tls() {
    this.tls = true;
    return this;
  }

  /** Trusts only servers whose certificate this PEM CA signed. */
  public ChannelBuilder trustCa(Path caPem) {
    this.tls = true;
    this.trustedCa = caPem;
    return this;
  }

  /** Presents this certificate for mutual TLS. */
  public ChannelBuilder clientCertificate(Path certChainPem, Path privateKeyPem) {
    this.tls = true;
    this.clientCertChain = certChainPem;
    this.clientKey = privateKeyPem;
    return this;
  }

  /** Sends this {@code :authority} and checks the server certificate against it. */
  public ChannelBuilder overrideAuthority(String authority) {
    this.authorityOverride = authority;
    return this;
  }

  /** Put in front of {@code strand-java/<version>} in the user-agent. */
  public ChannelBuilder userAgent(String userAgent) {
    this.userAgent = userAgent;
    return this;
  }

  public ChannelBuilder maxInboundMessageSize(int bytes) {
    this.maxInboundMessageSize = bytes;
    return this;
  }

  public ChannelBuilder maxHeaderListSize(int bytes) {
    this.maxHeaderListSize = bytes;
    return this;
  }

  public ChannelBuilder initialStreamWindow(int bytes) {
    this.initialStreamWindow = bytes;
    return this;
  }

  /** Adds an interceptor; the first added sees each call first. */
  public ChannelBuilder interceptor(ClientInterceptor interceptor) {
    interceptors.add(interceptor);
    return this;
  }

  /** Compresses requests with this registered encoding unless a call's options say otherwise. */
  public ChannelBuilder compression(String encoding) {
    this.compression = encoding;
    return this;
  }

  /** A deadline for calls whose options set none. */
  public ChannelBuilder defaultTimeout(java.time.Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("defaultTimeout must be positive");
    }
    this.defaultTimeout = timeout;
    return this;
  }

  /**
   * How reconnect attempts are spaced (default: connection-backoff.md's 1 s, x1.6, ±20%, 120 s).
   */
  public ChannelBuilder backoff(Backoff backoff) {
    this.backoff = java.util.Objects.requireNonNull(backoff);
    return this;
  }

  /**
   * Pings the server after {@code time} without reads and drops the connection if the ping is not
   * answered in {@code timeout} (A8). Off by default. If the server answers GOAWAY
   * "too_many_pings", the interval doubles for later connections.
   */
  public ChannelBuilder keepAlive(
      java.time.Duration time, java.time.Duration timeout, boolean withoutCalls) {
    // A8: less than 10 s is raised to 10 s (tests may lower the floor with a system property).
    java.time.Duration floor =
        java.time.Duration.ofMillis(Long.getLong("dev.strand.minKeepAliveTimeMillis", 10_000L));
    this.keepAliveTime = time.compareTo(floor) < 0 ? floor : time;
    this.keepAliveTimeout = timeout;
    this.keepAliveWithoutCalls = withoutCalls;
    return this;
  }

  /**
   * Watches every call from the transport's side (sizes on the wire, every end): the hook for
   * metrics and tracing. One per channel; null for none.
   */
  public ChannelBuilder tracer(ClientCallTracer tracer) {
    this.tracer = tracer;
    return this;
  }

  /**
   * Resolves targets of the provider's scheme (say {@code "etcd"} for {@code etcd:///orders}),
   * ahead of an installed provider of the same scheme. The built-in schemes are {@code dns} (the
   * default, also for a target with no scheme), {@code ipv4}, {@code ipv6}, {@code unix} and {@code
   * unix-abstract}.
   */
  public ChannelBuilder nameResolver(NameResolverProvider provider) {
    nameResolvers.add(java.util.Objects.requireNonNull(provider, "provider"));
    return this;
  }

  /**
   * How calls spread over the servers the target resolves to (load-balancing.md): {@code
   * "pick_first"} (the default: one connection, to the first address that answers) or {@code
   * "round_robin"} (a connection to every address; calls take the READY ones in turn, a failed one
   * leaves the rotation until it is back).
   */
  public ChannelBuilder loadBalancingPolicy(String policy) {
    // Checked at build(): the policy may come from a provider given after this.
    this.loadBalancingPolicy = java.util.Objects.requireNonNull(policy, "policy");
    return this;
  }

  /**
   * Makes the provider's policy available to {@link #loadBalancingPolicy} by its name, ahead of an
   * installed provider (found with {@link java.util.ServiceLoader}) or built-in policy of the same
   * name.
   */
  public ChannelBuilder loadBalancer(LoadBalancerProvider provider) {
    loadBalancers.add(java.util.Objects.requireNonNull(provider, "provider"));
    return this;
  }

  /**
   * Idle mode: after this long with no call in progress, the channel closes its connections and
   * stops resolving its target, and is IDLE; the next call connects again. 30 minutes by default,
   * as in grpc-java; null for never.
   */
  public ChannelBuilder idleTimeout(java.time.Duration timeout) {
    if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
      throw new IllegalArgumentException("idle timeout must be positive (or null for never)");
    }
    this.idleTimeout = timeout;
    return this;
  }

  /**
   * The service config (service_config.md) the channel's calls follow, in its JSON form: per
   * method, service or channel ({@code methodConfig}), a {@code timeout}, {@code waitForReady} and
   * the largest request and response messages ({@code maxRequestMessageBytes}, {@code
   * maxResponseMessageBytes}), each tightening what a call sets itself. See docs/SERVICE_CONFIG.md
   * for what else is read. Checked at {@link #build()}; null for none.
   */
  public ChannelBuilder defaultServiceConfig(String json) {
    this.defaultServiceConfig = json;
    return this;
  }

  /**
   * Ignores service configs the resolver hands over (DNS TXT records with {@code
   * -Dstrand.dnsServiceConfig=true}, or a user's resolver): only the default config applies.
   */
  public ChannelBuilder disableServiceConfigLookUp() {
    this.serviceConfigLookUp = false;
    return this;
  }

  /**
   * The channel, which connects on its first call. Throws {@link IllegalArgumentException} if the
   * target is malformed, naming it and the forms a target may take, or if the service config is
   * invalid, naming the field and what is wrong with it.
   */
  public ManagedChannel build() {
    if (defaultServiceConfig != null) {
      // A21: a config is valid whole or not at all; its policy must be one this channel has.
      ServiceConfigParser.parse(defaultServiceConfig, LoadBalancers.names(loadBalancers));
    }
    return InstalledChannelTransport.forProtocol(protocol)
        .create(
            new Settings(
                target,
                tls,
                trustedCa,
                clientCertChain,
                clientKey,
                authorityOverride,
                userAgent,
                maxInboundMessageSize,
                maxHeaderListSize,
                initialStreamWindow,
                List.copyOf(interceptors),
                compression,
                defaultTimeout,
                backoff,
                keepAliveTime,
                keepAliveTimeout,
                keepAliveWithoutCalls,
                tracer,
                List.copyOf(nameResolvers),
                loadBalancingPolicy,
                List.copyOf(loadBalancers),
                idleTimeout,
                defaultServiceConfig,
                serviceConfigLookUp,
                protocol));
  }

  /**
   * Speaks gRPC-Web or Connect over HTTP/1.1 instead of gRPC over HTTP/2 ({@link WireProtocol}:
   * strand-web must be on the path, or {@link #build()} fails saying so). Such a channel carries
   * unary and server-streaming calls; others fail with {@code UNIMPLEMENTED}.
   */
  public ChannelBuilder protocol(WireProtocol protocol) {
    this.protocol = java.util.Objects.requireNonNull(protocol, "protocol");
    return this;
  }

  /** What the transport is handed: a snapshot, private, so its shape is no one's contract. */
  private record Settings(
      String target,
      boolean tls,
      Path trustedCa,
      Path clientCertChain,
      Path clientKey,
      String authorityOverride,
      String userAgent,
      int maxInboundMessageSize,
      int maxHeaderListSize,
      int initialStreamWindow,
      List<ClientInterceptor> interceptors,
      String compression,
      java.time.Duration defaultTimeout,
      Backoff backoff,
      java.time.Duration keepAliveTime,
      java.time.Duration keepAliveTimeout,
      boolean keepAliveWithoutCalls,
      ClientCallTracer tracer,
      List<NameResolverProvider> nameResolvers,
      String loadBalancingPolicy,
      List<LoadBalancerProvider> loadBalancers,
      java.time.Duration idleTimeout,
      String defaultServiceConfig,
      boolean serviceConfigLookUp,
      WireProtocol protocol)
      implements ChannelSettings {}
}
