package dev.strand.server;

import java.net.SocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * Everything a server was built with, as a transport reads it. The builder validates; this only
 * carries. An interface, not a record, so that a new option is a new method with a default and no
 * transport breaks. A null duration means "never".
 */
public interface ServerSettings {
  SocketAddress address();

  /** By full method name, each already wrapped in the server's interceptors. */
  Map<String, ServerMethod<?, ?>> methods();

  List<ServiceDefinition> services();

  /** Where blocking handlers run; null for the transport's default. */
  Executor blockingExecutor();

  /** PEM certificate chain and key for TLS; null for plaintext. */
  Path certChain();

  Path privateKey();

  /** PEM CA that client certificates must chain to; null to not ask for one. */
  Path clientCa();

  boolean requireClientAuth();

  int maxInboundMessageSize();

  int maxHeaderListSize();

  int maxConcurrentStreams();

  int initialStreamWindow();

  /** The encoding responses are compressed with, if the client accepts it; null for none. */
  String compression();

  List<ShutdownListener> shutdownListeners();

  Duration keepAliveTime();

  Duration keepAliveTimeout();

  Duration permitKeepAliveTime();

  boolean permitKeepAliveWithoutCalls();

  Duration maxConnectionIdle();

  Duration maxConnectionAge();

  Duration maxConnectionAgeGrace();

  Duration handshakeTimeout();

  int maxConnections();

  /** 0 for the transport's fair share of the blocking executor. */
  int maxBlockingCallsPerConnection();

  ExceptionMapper exceptionMapper();

  /** Watches every call; null for none. */
  default dev.strand.spi.ServerCallTracer tracer() {
    return null;
  }

  /** Which browser pages on other origins may call; null for none (no CORS headers at all). */
  default Cors cors() {
    return null;
  }
}
