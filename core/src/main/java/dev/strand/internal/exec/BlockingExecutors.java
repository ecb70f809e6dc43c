package dev.strand.internal.exec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The default home of blocking handler code: a virtual thread per task where the JVM has them
 * (21+), otherwise a bounded pool of platform threads. Compiled for 17, so virtual threads are
 * found reflectively.
 */
public final class BlockingExecutors {
  private static final int POOL_THREADS =
      Integer.getInteger(
          "strand.blockingThreads", Math.max(64, 16 * Runtime.getRuntime().availableProcessors()));

  /** The executors this class made with virtual threads. */
  private static final java.util.Map<java.util.concurrent.Executor, Boolean> VIRTUAL =
      new java.util.WeakHashMap<>();

  private BlockingExecutors() {}

  /**
   * How many blocking calls of one connection may run at once on {@code executor}: a quarter of a
   * bounded pool (at least 4), so a connection whose calls all block cannot starve the others;
   * unbounded on virtual threads, which cost nothing to block.
   */
  public static int perConnectionLimit(java.util.concurrent.Executor executor) {
    if (executor instanceof ThreadPoolExecutor pool) {
      return Math.max(4, pool.getMaximumPoolSize() / 4);
    }
    return usesVirtualThreads(executor) ? Integer.MAX_VALUE : Math.max(4, POOL_THREADS / 4);
  }

  private static boolean usesVirtualThreads(java.util.concurrent.Executor executor) {
    synchronized (VIRTUAL) {
      return VIRTUAL.containsKey(executor);
    }
  }

  /** True when the JVM offers virtual threads. */
  public static boolean virtualThreadsAvailable() {
    return Runtime.version().feature() >= 21;
  }

  /** A new executor for blocking handlers; the caller owns and shuts it down. */
  public static ExecutorService newDefault(String name) {
    if (virtualThreadsAvailable() && !Boolean.getBoolean("strand.noVirtualThreads")) {
      ExecutorService virtual = newVirtualThreadExecutor(name);
      if (virtual != null) {
        synchronized (VIRTUAL) {
          VIRTUAL.put(virtual, Boolean.TRUE);
        }
        return virtual;
      }
    }
    AtomicInteger n = new AtomicInteger();
    ThreadFactory factory =
        r -> {
          Thread t = new Thread(r, name + "-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            POOL_THREADS, POOL_THREADS, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), factory);
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  private static ExecutorService newVirtualThreadExecutor(String name) {
    try {
      var lookup = MethodHandles.publicLookup();
      Class<?> builderClass = Class.forName("java.lang.Thread$Builder");
      Class<?> ofVirtualClass = Class.forName("java.lang.Thread$Builder$OfVirtual");
      Object builder =
          lookup
              .findStatic(Thread.class, "ofVirtual", MethodType.methodType(ofVirtualClass))
              .invoke();
      builder =
          lookup
              .findVirtual(
                  ofVirtualClass,
                  "name",
                  MethodType.methodType(ofVirtualClass, String.class, long.class))
              .invoke(builder, name + "-", 0L);
      ThreadFactory factory =
          (ThreadFactory)
              lookup
                  .findVirtual(builderClass, "factory", MethodType.methodType(ThreadFactory.class))
                  .invoke(builder);
      return (ExecutorService)
          lookup
              .findStatic(
                  java.util.concurrent.Executors.class,
                  "newThreadPerTaskExecutor",
                  MethodType.methodType(ExecutorService.class, ThreadFactory.class))
              .invoke(factory);
    } catch (Throwable t) {
      return null;
    }
  }
}
