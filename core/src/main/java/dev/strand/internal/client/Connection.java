package dev.strand.internal.client;

import java.util.concurrent.CompletableFuture;

/**
 * One transport connection as a channel's connection management sees it: whether it is ready,
 * whether it still takes calls, and where its calls' commands run. The Netty transport's connection
 * is one; the subchannels of load balancing hold these.
 */
public interface Connection {

  /** Completes when the connection can carry calls (the server's SETTINGS arrived), or fails. */
  CompletableFuture<?> ready();

  /** False once the connection takes no new calls (GOAWAY, closed). */
  boolean isUsable();

  /** Runs this connection's commands on its event loop. */
  CommandQueue commands();

  /** Takes no new calls and closes once the calls in flight are done. */
  void shutdown();

  /**
   * Starts a health Watch for {@code service} on this connection (A17); it does not count as a call
   * of the channel (idle mode does not wait for it).
   */
  default HealthWatch watchHealth(String service, HealthWatch.Listener listener) {
    throw new UnsupportedOperationException("this transport has no client-side health checking");
  }
}
