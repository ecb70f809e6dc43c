package dev.strand.client;

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
