package dev.strand.internal.client;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs tasks one at a time, in the order they were given, on whichever thread gives one while none
 * is running (no thread of its own). A task that adds another runs it after itself, not inside it.
 * A load-balancing policy's callbacks all run here, so the policy needs no locks.
 */
final class SynchronizationContext implements Executor {
  private static final Logger log = Logger.getLogger(SynchronizationContext.class.getName());

  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicReference<Thread> draining = new AtomicReference<>();

  @Override
  public void execute(Runnable task) {
    tasks.add(task);
    drain();
  }

  private void drain() {
    // Re-checked after letting go: a task added between the last poll and the release would
    // otherwise wait for the next execute().
    while (!tasks.isEmpty() && draining.compareAndSet(null, Thread.currentThread())) {
      try {
        Runnable task;
        while ((task = tasks.poll()) != null) {
          try {
            task.run();
          } catch (RuntimeException e) {
            log.log(Level.SEVERE, "a load-balancing task failed", e);
          }
        }
      } finally {
        draining.set(null);
      }
    }
  }

  /** True on the thread running this context's tasks now. */
  boolean inContext() {
    return draining.get() == Thread.currentThread();
  }
}
