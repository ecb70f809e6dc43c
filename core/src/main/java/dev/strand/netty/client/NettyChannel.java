package dev.strand.netty.client;

import dev.strand.ConnectivityState;
import dev.strand.MethodDescriptor;
import dev.strand.client.CallOptions;
import dev.strand.client.Channel;
import dev.strand.client.ChannelSettings;
import dev.strand.client.ClientCall;
import dev.strand.client.ClientInterceptors;
import dev.strand.client.ManagedChannel;
import dev.strand.internal.call.MethodConfigOptions;
import dev.strand.internal.client.BalancedConnections;
import dev.strand.internal.client.ChannelConnections;
import dev.strand.internal.config.MethodConfig;
import dev.strand.internal.config.ServiceConfig;
import dev.strand.internal.resolver.Resolvers;
import dev.strand.internal.retry.RetryingCall;
import dev.strand.internal.wire.StrandVersion;
import dev.strand.netty.headers.HeadersCodec;
import dev.strand.netty.headers.SharedHeaders;
import dev.strand.netty.tls.TlsContexts;
import dev.strand.spi.NameResolver;
import dev.strand.wire.CodecRegistry;
import io.netty.handler.ssl.SslContext;
import io.netty.util.AsciiString;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A channel to one target over one HTTP/2 connection at a time. The connection is made on the first
 * call and made again when it closes or the server sends GOAWAY; calls in flight on a draining
 * connection finish there.
 */
public final class NettyChannel implements ManagedChannel {
  private final ChannelSettings config;
  private final NameResolver resolver;
  private final String authority;
  private final String userAgent;
  private static final int MAX_CACHED_PATHS = 1024;
  private final AsciiString authorityHeader;
  private final AsciiString userAgentHeader;
  private final java.util.concurrent.ConcurrentMap<String, PlainRequestBlock> plainRequestBlocks =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.concurrent.ConcurrentMap<String, AsciiString> pathHeaders =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final SslContext ssl;

  /**
   * Every connection of this channel runs on this one event loop, as a one-connection channel
   * always did: a call started from a response callback then runs on whichever subchannel it picks
   * without a hop to another thread, and round_robin over N servers costs what one connection
   * costs. Channels spread over the client's event loops.
   */
  private final io.netty.channel.EventLoop eventLoop = ClientResources.eventLoopGroup().next();

  private final Channel intercepted;
  private final ChannelConnections<ClientConnection> connections;
  private final ChannelServiceConfig serviceConfig;

  private final CountDownLatch terminated = new CountDownLatch(1);
  private volatile boolean shutdown;

  /** Idle mode after this long without calls; 0 for never. */
  private final long idleTimeoutNanos;

  private final java.util.concurrent.atomic.AtomicInteger activeCalls =
      new java.util.concurrent.atomic.AtomicInteger();
  private volatile long lastCallEndedNanos;

  /** The pending idle check, if any. Guarded by {@code activeCalls}. */
  private java.util.concurrent.ScheduledFuture<?> idleCheck;

  /** The keepalive interval in force: it doubles when the server says "too_many_pings". */
  private volatile java.time.Duration keepAliveTime;

  private NettyChannel(ChannelSettings config) {
    this.config = config;
    this.resolver = Resolvers.forTarget(config.target(), config.nameResolvers());
    this.authority =
        config.authorityOverride() != null ? config.authorityOverride() : resolver.authority();
    this.userAgent =
        config.userAgent() == null
            ? StrandVersion.userAgent()
            : config.userAgent() + " " + StrandVersion.userAgent();
    this.authorityHeader = new AsciiString(authority);
    this.userAgentHeader = new AsciiString(userAgent);
    this.ssl =
        config.tls()
            ? TlsContexts.forClient(
                config.trustedCa(), config.clientCertChain(), config.clientKey())
            : null;
    this.serviceConfig = new ChannelServiceConfig(config);
    Channel raw =
        new Channel() {
          // Beneath the interceptors: the options they set count as the call's own.
          @Override
          public <ReqT, RespT> ClientCall<ReqT, RespT> newCall(
              MethodDescriptor<ReqT, RespT> method, CallOptions options) {
            CallOptions configured =
                MethodConfigOptions.apply(
                    serviceConfig.current(), method, options, config.maxInboundMessageSize());
            return new NettyClientCall<>(NettyChannel.this, method, configured);
          }

          @Override
          public String authority() {
            return authority;
          }
        };
    this.intercepted = ClientInterceptors.intercept(raw, config.interceptors());
    this.keepAliveTime = config.keepAliveTime();
    java.util.function.Function<java.net.SocketAddress, ClientConnection> connector =
        address -> new ClientConnection(this, config, address, ssl, authority);
    // The resolver made above first, checked at build(); a fresh one after each idle spell.
    java.util.concurrent.atomic.AtomicReference<NameResolver> first =
        new java.util.concurrent.atomic.AtomicReference<>(resolver);
    java.util.function.Supplier<NameResolver> resolvers =
        () -> {
          NameResolver r = first.getAndSet(null);
          return r != null ? r : Resolvers.forTarget(config.target(), config.nameResolvers());
        };
    this.connections =
        new BalancedConnections<>(
            connector,
            resolvers,
            serviceConfig,
            config.backoff(),
            ClientResources.eventLoopGroup(),
            authority);
    this.idleTimeoutNanos = config.idleTimeout() == null ? 0 : config.idleTimeout().toNanos();
  }

  public static NettyChannel create(ChannelSettings config) {
    return new NettyChannel(config);
  }

  io.netty.channel.EventLoop eventLoop() {
    return eventLoop;
  }

  ChannelSettings config() {
    return config;
  }

  String userAgent() {
    return userAgent;
  }

  /**
   * Request header values in the form the HPACK encoder compares fastest (AsciiString against its
   * table's AsciiStrings), made once per channel and once per method rather than per call.
   */
  AsciiString userAgentHeader() {
    return userAgentHeader;
  }

  AsciiString authorityHeader() {
    return authorityHeader;
  }

  /**
   * The request block of a call with no deadline, metadata or compression: the same for every such
   * call of a method, so built once per method and shared (HPACK only reads a block). It is rebuilt
   * if registering a codec has changed grpc-accept-encoding.
   */
  SharedHeaders plainRequestHeaders(String path, AsciiString scheme) {
    String acceptEncoding = CodecRegistry.getDefault().acceptEncoding();
    PlainRequestBlock cached = plainRequestBlocks.get(path);
    if (cached != null
        && cached.scheme() == scheme
        && cached.acceptEncoding().equals(acceptEncoding)) {
      return cached.block();
    }
    SharedHeaders block =
        SharedHeaders.of(
            HeadersCodec.requestHeaders(
                scheme, pathHeader(path), authorityHeader, userAgentHeader, null, null, null));
    if (plainRequestBlocks.size() < MAX_CACHED_PATHS) {
      plainRequestBlocks.put(path, new PlainRequestBlock(scheme, acceptEncoding, block));
    }
    return block;
  }

  private record PlainRequestBlock(
      AsciiString scheme, String acceptEncoding, SharedHeaders block) {}

  AsciiString pathHeader(String path) {
    AsciiString cached = pathHeaders.get(path);
    if (cached == null) {
      cached = new AsciiString(path);
      // Bounded: a proxy forwarding arbitrary method names must not grow this forever.
      if (pathHeaders.size() < MAX_CACHED_PATHS) {
        pathHeaders.putIfAbsent(path, cached);
      }
    }
    return cached;
  }

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> newCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions options) {
    CallOptions effective = options == null ? CallOptions.DEFAULT : options;
    if (effective.deadline() == null && config.defaultTimeout() != null) {
      effective = effective.withTimeout(config.defaultTimeout());
    }
    ServiceConfig inForce = serviceConfig.current();
    if (inForce.hasMethodConfigs()) {
      MethodConfig settings = inForce.methodConfig(method);
      if (settings != null
          && (settings.retryPolicy() != null || settings.hedgingPolicy() != null)) {
        // The config's timeout spans every attempt: fixed here, once, as the call's deadline.
        CallOptions whole =
            MethodConfigOptions.apply(inForce, method, effective, config.maxInboundMessageSize());
        return new RetryingCall<>(
            intercepted,
            method,
            whole,
            settings.retryPolicy(),
            settings.hedgingPolicy(),
            serviceConfig.retries(),
            config.tracer());
      }
    }
    return intercepted.newCall(method, effective);
  }

  @Override
  public String authority() {
    return authority;
  }

  void callStarted() {
    activeCalls.incrementAndGet();
  }

  void callEnded() {
    // The clock is read only when the last call in progress ends: the idle spell starts there.
    if (activeCalls.decrementAndGet() == 0 && idleTimeoutNanos > 0) {
      lastCallEndedNanos = System.nanoTime();
      scheduleIdleCheck(idleTimeoutNanos);
    }
  }

  private void scheduleIdleCheck(long delayNanos) {
    synchronized (activeCalls) {
      if (idleCheck == null && !shutdown) {
        idleCheck =
            ClientResources.eventLoopGroup()
                .schedule(this::checkIdle, delayNanos, TimeUnit.NANOSECONDS);
      }
    }
  }

  /** Idle mode (connectivity-semantics-and-api.md) once no call ran for the idle timeout. */
  private void checkIdle() {
    synchronized (activeCalls) {
      idleCheck = null;
    }
    if (shutdown || activeCalls.get() > 0) {
      return; // the call that is running schedules the next check when it ends
    }
    long idleFor = System.nanoTime() - lastCallEndedNanos;
    if (idleFor < idleTimeoutNanos) {
      scheduleIdleCheck(idleTimeoutNanos - idleFor);
      return;
    }
    connections.enterIdle();
  }

  /** The connection a new call should use, once there is one. */
  CompletableFuture<ClientConnection> connectionForNewCall(NettyClientCall<?, ?> call) {
    return connections.connectionFor(call, call);
  }

  java.time.Duration keepAliveTime() {
    return keepAliveTime;
  }

  /** The server found our pings too frequent (A8): ping half as often from now on. */
  void onTooManyPings() {
    java.time.Duration current = keepAliveTime;
    if (current != null) {
      keepAliveTime = current.multipliedBy(2);
    }
  }

  void onConnectionDraining(ClientConnection connection) {
    connections.onConnectionLost(connection, false);
  }

  void onConnectionClosed(ClientConnection connection) {
    connections.onConnectionLost(connection, true);
    maybeTerminated();
  }

  private void maybeTerminated() {
    if (shutdown && connections.live().isEmpty()) {
      terminated.countDown();
    }
  }

  @Override
  public ManagedChannel shutdown() {
    shutdown = true;
    synchronized (activeCalls) {
      if (idleCheck != null) {
        idleCheck.cancel(false);
        idleCheck = null;
      }
    }
    connections.shutdown();
    for (ClientConnection c : connections.live()) {
      c.shutdown();
    }
    maybeTerminated();
    return this;
  }

  @Override
  public ManagedChannel shutdownNow() {
    shutdown();
    for (ClientConnection c : connections.live()) {
      c.shutdownNow();
    }
    return this;
  }

  @Override
  public ConnectivityState state(boolean connect) {
    return connections.state(connect);
  }

  @Override
  public void notifyWhenStateChanged(ConnectivityState source, Runnable callback) {
    connections.notifyWhenStateChanged(source, callback);
  }

  @Override
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return terminated.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public boolean isShutdown() {
    return shutdown;
  }

  @Override
  public boolean isTerminated() {
    return terminated.getCount() == 0;
  }

  @Override
  public String toString() {
    return "NettyChannel[" + authority + (ssl != null ? ", tls" : ", plaintext") + "]";
  }
}
