package dev.strand.internal.client;

/**
 * Runs a connection's commands on its event loop, in order, from any thread. What the connection
 * management above the transport needs of a transport's write queue.
 */
public interface CommandQueue {

  /** True on the event loop with nothing queued: a command may run at once, in order. */
  boolean canRunNow();

  /** Queues a command to run on the event loop after those queued before it. */
  void enqueue(Runnable command);

  /** Makes sure what commands that ran at once wrote is flushed soon. */
  void flushSoon();
}
