package dev.strand.server;

import dev.strand.spi.ServerCallTracer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/** Configures and starts a {@link Server}. */
public final class ServerBuilder {
  private SocketAddress address = new InetSocketAddress(0);
  private final Map<String, ServiceDefinition> services = new LinkedHashMap<>();
  private final List<ServerInterceptor> interceptors = new ArrayList<>();
  private ExceptionMapper exceptionMapper = ExceptionMapper.DEFAULT;
  private ServerCallTracer tracer;
  private Cors cors;
  private final List<ShutdownListener> shutdownListeners = new ArrayList<>();
  private Executor blockingExecutor;
  private Path certChain;
  private Path privateKey;
  private Path clientCa;
  private boolean requireClientAuth;
  private int maxInboundMessageSize = 4 * 1024 * 1024;
  private int maxHeaderListSize = 8 * 1024;
  private int maxConcurrentStreams = 1000;
  private int initialStreamWindow = 1024 * 1024;
  private String compression;
  // gRPC's keepalive defaults (A8, A9), plus bounds against idle and slow attackers.
  private Duration keepAliveTime = Duration.ofHours(2);
  private Duration keepAliveTimeout = Duration.ofSeconds(20);
  private Duration permitKeepAliveTime = Duration.ofMinutes(5);
  private boolean permitKeepAliveWithoutCalls;
  private Duration maxConnectionIdle;
  private Duration maxConnectionAge;
  private Duration maxConnectionAgeGrace;
  private Duration handshakeTimeout = Duration.ofSeconds(20);
  private int maxConnections = 10_000;
  private int maxBlockingCallsPerConnection;

  ServerBuilder() {}

  /** Listens on every interface at this port; 0 picks a free one. */
  public ServerBuilder port(int port) {
    this.address = new InetSocketAddress(port);
    return this;
  }

  public ServerBuilder address(String host, int port) {
    this.address = new InetSocketAddress(host, port);
    return this;
  }

  /** Listens on a Unix domain socket at this path instead of TCP (needs native epoll). */
  public ServerBuilder unixSocket(Path path) {
    this.address = java.net.UnixDomainSocketAddress.of(path);
    return this;
  }

  /** Adds a service; if it is a {@link ShutdownListener} it is told when shutdown begins. */
  public ServerBuilder service(BindableService service) {
    if (service instanceof ShutdownListener listener) {
      shutdownListeners.add(listener);
    }
    return service(service.bindService());
  }

  /** Runs when {@link Server#shutdown()} or {@link Server#shutdownNow()} is first called. */
  public ServerBuilder onShutdown(ShutdownListener listener) {
    shutdownListeners.add(listener);
    return this;
  }

  public ServerBuilder service(ServiceDefinition service) {
    if (services.putIfAbsent(service.name(), service) != null) {
      throw new IllegalArgumentException("service " + service.name() + " added twice");
    }
    return this;
  }

  /**
   * Decides the status the client sees for an exception a handler throws (other than a
   * StatusException, which always says for itself). Default: UNKNOWN, details only in the log.
   */
  public ServerBuilder exceptionMapper(ExceptionMapper mapper) {
    this.exceptionMapper = java.util.Objects.requireNonNull(mapper, "mapper");
    return this;
  }

  /**
   * Watches every call from the transport's side (sizes on the wire, every end): the hook for
   * metrics and tracing. One per server; null for none.
   */
  public ServerBuilder tracer(ServerCallTracer tracer) {
    this.tracer = tracer;
    return this;
  }

  /**
   * Lets browser pages on other origins call this server over the web protocols (gRPC-Web,
   * Connect): preflights are answered and responses carry CORS headers for the origins {@code cors}
   * allows. Off by default (null): no CORS headers, so browsers allow same-origin pages only.
   */
  public ServerBuilder cors(Cors cors) {
    this.cors = cors;
    return this;
  }

  /** Adds an interceptor for every service. The first added runs first. */
  public ServerBuilder interceptor(ServerInterceptor interceptor) {
    interceptors.add(interceptor);
    return this;
  }

  /** Where blocking handlers run. Default: virtual threads on Java 21+, a bounded pool before. */
  public ServerBuilder blockingExecutor(Executor executor) {
    this.blockingExecutor = executor;
    return this;
  }

  /** Serves TLS with this PEM certificate chain and PEM (PKCS#8 or PKCS#1) private key. */
  public ServerBuilder tls(Path certChainPem, Path privateKeyPem) {
    this.certChain = certChainPem;
    this.privateKey = privateKeyPem;
    return this;
  }

  /** Asks clients for a certificate signed by this CA; {@code require} makes it mandatory. */
  public ServerBuilder clientAuth(Path trustedCaPem, boolean require) {
    this.clientCa = trustedCaPem;
    this.requireClientAuth = require;
    return this;
  }

  /** The largest request message accepted, in bytes (default 4 MiB). */
  public ServerBuilder maxInboundMessageSize(int bytes) {
    this.maxInboundMessageSize = positive(bytes, "maxInboundMessageSize");
    return this;
  }

  /** The largest request header list accepted, per HTTP/2 SETTINGS (default 8 KiB). */
  public ServerBuilder maxHeaderListSize(int bytes) {
    this.maxHeaderListSize = positive(bytes, "maxHeaderListSize");
    return this;
  }

  /** Streams one client may have open on a connection at once (default 1000). */
  public ServerBuilder maxConcurrentStreams(int streams) {
    this.maxConcurrentStreams = positive(streams, "maxConcurrentStreams");
    return this;
  }

  /** The HTTP/2 flow-control window each stream starts with (default 1 MiB). */
  public ServerBuilder initialStreamWindow(int bytes) {
    this.initialStreamWindow = positive(bytes, "initialStreamWindow");
    return this;
  }

  /**
   * Compresses responses with this registered encoding (e.g. "gzip") when the client accepts it;
   * handlers can still choose per call with {@link ServerCall#setCompression}.
   */
  public ServerBuilder compression(String encoding) {
    if (encoding != null
        && !"identity".equals(encoding)
        && dev.strand.wire.CodecRegistry.getDefault().lookup(encoding) == null) {
      throw new IllegalArgumentException("no codec registered for '" + encoding + "'");
    }
    this.compression = encoding;
    return this;
  }

  /**
   * Pings an idle client after {@code time}; closes the connection if no answer in {@code timeout}.
   */
  public ServerBuilder keepAlive(Duration time, Duration timeout) {
    this.keepAliveTime = time;
    this.keepAliveTimeout = timeout;
    return this;
  }

  /**
   * The most often a client may ping (default every 5 minutes), and whether it may ping with no
   * calls open (default no). A client that pings more often is sent GOAWAY "too_many_pings".
   */
  public ServerBuilder permitKeepAlive(Duration minTime, boolean withoutCalls) {
    this.permitKeepAliveTime = minTime;
    this.permitKeepAliveWithoutCalls = withoutCalls;
    return this;
  }

  /** Gracefully closes a connection with no calls for this long (default never). */
  public ServerBuilder maxConnectionIdle(Duration idle) {
    this.maxConnectionIdle = idle;
    return this;
  }

  /**
   * Gracefully closes connections after about this long (±10%), giving calls in flight {@code
   * grace} to finish (null: as long as they need). Default never.
   */
  public ServerBuilder maxConnectionAge(Duration age, Duration grace) {
    this.maxConnectionAge = age;
    this.maxConnectionAgeGrace = grace;
    return this;
  }

  /** Closes a connection that has not sent the HTTP/2 preface in this time (default 20 s). */
  public ServerBuilder handshakeTimeout(Duration timeout) {
    this.handshakeTimeout = timeout;
    return this;
  }

  /**
   * How many blocking handlers of one connection may run at once; the others wait their turn.
   * Default: a quarter of a bounded pool (Java 17), unlimited on virtual threads.
   */
  public ServerBuilder maxBlockingCallsPerConnection(int calls) {
    this.maxBlockingCallsPerConnection = positive(calls, "maxBlockingCallsPerConnection");
    return this;
  }

  /** Connections beyond this many are closed as they arrive (default 10,000). */
  public ServerBuilder maxConnections(int connections) {
    this.maxConnections = positive(connections, "maxConnections");
    return this;
  }

  public Server start() throws IOException {
    if (clientCa != null && certChain == null) {
      throw new IllegalStateException("clientAuth needs tls(...) too");
    }
    Map<String, ServerMethod<?, ?>> methods = new LinkedHashMap<>();
    for (ServiceDefinition service : services.values()) {
      for (ServerMethod<?, ?> m : service.methods()) {
        methods.put(
            m.descriptor().fullName(),
            interceptors.isEmpty() ? m : ServerInterceptors.wrap(m, interceptors));
      }
    }
    return InstalledServerTransport.BEST.start(
        new Settings(
            address,
            Map.copyOf(methods),
            List.copyOf(services.values()),
            blockingExecutor,
            certChain,
            privateKey,
            clientCa,
            requireClientAuth,
            maxInboundMessageSize,
            maxHeaderListSize,
            maxConcurrentStreams,
            initialStreamWindow,
            compression,
            List.copyOf(shutdownListeners),
            keepAliveTime,
            keepAliveTimeout,
            permitKeepAliveTime,
            permitKeepAliveWithoutCalls,
            maxConnectionIdle,
            maxConnectionAge,
            maxConnectionAgeGrace,
            handshakeTimeout,
            maxConnections,
            maxBlockingCallsPerConnection,
            exceptionMapper,
            tracer,
            cors));
  }

  private static int positive(int value, String name) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
    return value;
  }

  /** What the transport is handed: a snapshot, private, so its shape is no one's contract. */
  private record Settings(
      SocketAddress address,
      Map<String, ServerMethod<?, ?>> methods,
      List<ServiceDefinition> services,
      Executor blockingExecutor,
      Path certChain,
      Path privateKey,
      Path clientCa,
      boolean requireClientAuth,
      int maxInboundMessageSize,
      int maxHeaderListSize,
      int maxConcurrentStreams,
      int initialStreamWindow,
      String compression,
      List<ShutdownListener> shutdownListeners,
      Duration keepAliveTime,
      Duration keepAliveTimeout,
      Duration permitKeepAliveTime,
      boolean permitKeepAliveWithoutCalls,
      Duration maxConnectionIdle,
      Duration maxConnectionAge,
      Duration maxConnectionAgeGrace,
      Duration handshakeTimeout,
      int maxConnections,
      int maxBlockingCallsPerConnection,
      ExceptionMapper exceptionMapper,
      ServerCallTracer tracer,
      Cors cors)
      implements ServerSettings {}
}
