package dev.strand.server;

/**
 * Told when the server begins to shut down, before GOAWAY goes out. A service registered with the
 * server that implements this is told automatically (health checking uses it to report NOT_SERVING
 * while calls drain).
 */
@FunctionalInterface
public interface ShutdownListener {
  void onShutdown();
}
