package dev.strand.client;

import dev.strand.ConnectivityState;
import java.time.Duration;

/** A channel that owns connections and threads, and so must be shut down. */
public interface ManagedChannel extends Channel, AutoCloseable {

  /** New calls fail; calls in flight finish. */
  ManagedChannel shutdown();

  /** Calls in flight are cancelled; connections close. */
  ManagedChannel shutdownNow();

  boolean awaitTermination(Duration timeout) throws InterruptedException;

  boolean isShutdown();

  boolean isTerminated();

  /** The connection state now; with {@code connect}, an IDLE channel starts connecting. */
  ConnectivityState state(boolean connect);

  /**
   * Runs {@code callback} once when the state is no longer {@code source} (at once if it already
   * isn't). Callbacks run on an event loop and must not block.
   */
  void notifyWhenStateChanged(ConnectivityState source, Runnable callback);

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
