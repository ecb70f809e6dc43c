package dev.strand.server;

import java.net.SocketAddress;
import java.time.Duration;

/** A running gRPC server. Build one with {@link #builder()}. */
public interface Server extends AutoCloseable {

  static ServerBuilder builder() {
    return new ServerBuilder();
  }

  /** The services this server serves, in the order they were added. */
  java.util.List<ServiceDefinition> services();

  /** The TCP port the server listens on (useful after port 0); -1 on a Unix domain socket. */
  int port();

  /** Where the server listens: an InetSocketAddress, or a Unix domain socket address. */
  SocketAddress address();

  /**
   * Starts a graceful shutdown: GOAWAY goes to every client, new calls are refused, calls in flight
   * run to completion.
   */
  Server shutdown();

  /** Shuts down at once: calls in flight are cancelled and connections closed. */
  Server shutdownNow();

  boolean awaitTermination(Duration timeout) throws InterruptedException;

  boolean isShutdown();

  boolean isTerminated();

  /** Graceful shutdown that waits up to 5 seconds, then forces it. */
  @Override
  default void close() {
    shutdown();
    try {
      if (!awaitTermination(Duration.ofSeconds(5))) {
        shutdownNow();
        awaitTermination(Duration.ofSeconds(5));
      }
    } catch (InterruptedException e) {
      shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
