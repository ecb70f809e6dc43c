package dev.strand.internal.exec;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/**
 * One connection's share of the server's blocking executor: at most {@code limit} of its tasks run
 * at once, the rest wait here. A handler blocked on a peer that never reads (or never opens its
 * flow-control window) holds a thread; this keeps one connection from holding all of them.
 */
public final class FairShareExecutor implements Executor {
  private final Executor shared;
  private final int limit;
  private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
  private int running;

  public FairShareExecutor(Executor shared, int limit) {
    this.shared = shared;
    this.limit = limit;
  }

  @Override
  public void execute(Runnable task) {
    synchronized (this) {
      if (running >= limit) {
        waiting.add(task);
        return;
      }
      running++;
    }
    submit(task);
  }

  private void submit(Runnable task) {
    try {
      shared.execute(
          () -> {
            try {
              task.run();
            } finally {
              next();
            }
          });
    } catch (RuntimeException rejected) {
      next();
      throw rejected;
    }
  }

  private void next() {
    Runnable task;
    synchronized (this) {
      task = waiting.poll();
      if (task == null) {
        running--;
        return;
      }
    }
    submit(task);
  }
}
