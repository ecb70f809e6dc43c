package dev.strand.web.client;

import dev.strand.ConnectivityState;
import dev.strand.MethodDescriptor;
import dev.strand.Status;
import dev.strand.client.CallOptions;
import dev.strand.client.Channel;
import dev.strand.client.ChannelSettings;
import dev.strand.client.ClientCall;
import dev.strand.client.ClientInterceptors;
import dev.strand.client.ManagedChannel;
import dev.strand.client.WireProtocol;
import dev.strand.internal.wire.StrandVersion;
import dev.strand.spi.ClientCallTracer;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A channel whose calls are HTTP/1.1 exchanges in a web protocol, on the JDK's HTTP client, which
 * keeps a pool of keep-alive connections to the target. HTTP/1.1 carries one exchange per
 * connection at a time, so concurrent calls open more connections rather than queue.
 *
 * <p>The target is one {@code host:port} (or {@code dns:///host:port}): name resolution and load
 * balancing are the HTTP/2 transport's; a web channel goes where an HTTP/1.1 proxy or load balancer
 * takes it. The builder's interceptors, default timeout, compression, message limit, TLS files,
 * user agent and tracer apply; service configs and keepalive do not (HTTP/1.1 has no ping).
 */
final class WebChannel implements ManagedChannel {
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final ChannelSettings settings;
  private final WebWire wire;
  private final String authority;
  private final URI base;
  private final String userAgent;
  private final ExecutorService executor;
  private final ScheduledExecutorService timers;
  private final HttpClient http;
  private final Channel intercepted;
  private final Set<WebClientCall<?, ?>> calls = ConcurrentHashMap.newKeySet();
  private final Object lock = new Object();
  private final List<Runnable> stateWatchers = new ArrayList<>();
  private ConnectivityState state = ConnectivityState.IDLE;
  private boolean shutdown;
  private boolean terminated;

  WebChannel(ChannelSettings settings, WebWire wire) {
    this.settings = settings;
    this.wire = wire;
    this.authority = hostPort(settings.target());
    if (settings.authorityOverride() != null) {
      throw new IllegalArgumentException(
          "a " + settings.protocol() + " channel cannot override the authority (Host header)");
    }
    this.base = URI.create((settings.tls() ? "https://" : "http://") + authority);
    this.userAgent =
        settings.userAgent() == null
            ? StrandVersion.userAgent()
            : settings.userAgent() + " " + StrandVersion.userAgent();
    this.executor =
        Executors.newCachedThreadPool(
            task -> {
              Thread thread = new Thread(task, "strand-web-client-" + THREADS.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    ScheduledThreadPoolExecutor timer =
        new ScheduledThreadPoolExecutor(
            1,
            task -> {
              Thread thread = new Thread(task, "strand-web-deadlines-" + THREADS.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    timer.setRemoveOnCancelPolicy(true);
    this.timers = timer;
    HttpClient.Builder client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(20))
            .executor(executor);
    if (settings.tls()) {
      client.sslContext(
          PemTls.context(settings.trustedCa(), settings.clientCertChain(), settings.clientKey()));
    }
    this.http = client.build();
    Channel raw =
        new Channel() {
          @Override
          public <ReqT, RespT> ClientCall<ReqT, RespT> newCall(
              MethodDescriptor<ReqT, RespT> method, CallOptions options) {
            return new WebClientCall<>(WebChannel.this, method, options);
          }

          @Override
          public String authority() {
            return authority;
          }
        };
    this.intercepted = ClientInterceptors.intercept(raw, settings.interceptors());
  }

  /** {@code host:port} from a target in that form or {@code dns:///host:port}. */
  static String hostPort(String target) {
    String hostPort = target.startsWith("dns:///") ? target.substring("dns:///".length()) : target;
    int colon = hostPort.lastIndexOf(':');
    boolean bracketed = hostPort.startsWith("[");
    if (hostPort.isEmpty()
        || hostPort.contains("/")
        || colon < 0
        || (bracketed && colon < hostPort.indexOf(']'))
        || (!bracketed && hostPort.indexOf(':') != colon)) {
      throw new IllegalArgumentException(
          "a web-protocol channel's target is host:port or dns:///host:port, not '" + target + "'");
    }
    try {
      int port = Integer.parseInt(hostPort.substring(colon + 1));
      if (port < 1 || port > 65535) {
        throw new NumberFormatException();
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + target + "' has no valid port", e);
    }
    return hostPort;
  }

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> newCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions options) {
    CallOptions effective = options == null ? CallOptions.DEFAULT : options;
    if (effective.deadline() == null && settings.defaultTimeout() != null) {
      effective = effective.withTimeout(settings.defaultTimeout());
    }
    return intercepted.newCall(method, effective);
  }

  @Override
  public String authority() {
    return authority;
  }

  URI uriFor(MethodDescriptor<?, ?> method) {
    return base.resolve(method.path());
  }

  WebWire wire() {
    return wire;
  }

  WireProtocol protocol() {
    return settings.protocol();
  }

  HttpClient http() {
    return http;
  }

  ExecutorService executor() {
    return executor;
  }

  ScheduledExecutorService timers() {
    return timers;
  }

  String userAgent() {
    return userAgent;
  }

  String compression() {
    return settings.compression();
  }

  int maxInboundMessageSize() {
    return settings.maxInboundMessageSize();
  }

  ClientCallTracer tracer() {
    return settings.tracer();
  }

  /** Counts a call in; false once the channel is shut down. */
  boolean register(WebClientCall<?, ?> call) {
    synchronized (lock) {
      if (shutdown) {
        return false;
      }
      calls.add(call);
      if (state == ConnectivityState.IDLE) {
        moveTo(ConnectivityState.CONNECTING);
      }
      return true;
    }
  }

  void unregister(WebClientCall<?, ?> call) {
    synchronized (lock) {
      if (calls.remove(call) && shutdown && calls.isEmpty()) {
        terminate();
      }
    }
  }

  /** A response arrived: the server is reachable. */
  void connected() {
    synchronized (lock) {
      if (!shutdown && state != ConnectivityState.READY) {
        moveTo(ConnectivityState.READY);
      }
    }
  }

  /** An exchange failed; {@code refused} when no connection could be made at all. */
  void connectFailed(boolean refused) {
    synchronized (lock) {
      if (!shutdown && refused) {
        moveTo(ConnectivityState.TRANSIENT_FAILURE);
      }
    }
  }

  private void moveTo(ConnectivityState next) {
    state = next;
    List<Runnable> watchers = new ArrayList<>(stateWatchers);
    stateWatchers.clear();
    watchers.forEach(executor::execute);
  }

  private void terminate() {
    terminated = true;
    timers.shutdownNow();
    executor.shutdown();
    lock.notifyAll();
  }

  @Override
  public ManagedChannel shutdown() {
    synchronized (lock) {
      if (!shutdown) {
        shutdown = true;
        moveTo(ConnectivityState.SHUTDOWN);
        if (calls.isEmpty()) {
          terminate();
        }
      }
    }
    return this;
  }

  @Override
  public ManagedChannel shutdownNow() {
    shutdown();
    for (WebClientCall<?, ?> call : calls) {
      call.abort(Status.UNAVAILABLE.withDescription("channel shut down now"));
    }
    return this;
  }

  @Override
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (!terminated) {
        long left = end - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(lock, left);
      }
    }
    return executor.awaitTermination(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
  }

  @Override
  public boolean isShutdown() {
    synchronized (lock) {
      return shutdown;
    }
  }

  @Override
  public boolean isTerminated() {
    synchronized (lock) {
      return terminated;
    }
  }

  @Override
  public ConnectivityState state(boolean connect) {
    synchronized (lock) {
      return state; // HTTP/1.1 connections open with the first call; there is nothing to start
    }
  }

  @Override
  public void notifyWhenStateChanged(ConnectivityState source, Runnable callback) {
    synchronized (lock) {
      if (state != source) {
        executor.execute(callback);
      } else {
        stateWatchers.add(callback);
      }
    }
  }
}
