package dev.strand.netty;

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
      Integer.getInteger("strand.blockingThreads", Math.max(64, 16 * Runtime.getRuntime().availableProcessors()));

  private BlockingExecutors() {}

  /** True when the JVM offers virtual threads. */
  public static boolean virtualThreadsAvailable() {
    return Runtime.version().feature() >= 21;
  }

  /** A new executor for blocking handlers; the caller owns and shuts it down. */
  public static ExecutorService newDefault(String name) {
    if (virtualThreadsAvailable() && !Boolean.getBoolean("strand.noVirtualThreads")) {
      ExecutorService virtual = newVirtualThreadExecutor(name);
      if (virtual != null) {
        return virtual;
      }
    }
    AtomicInteger n = new AtomicInteger();
    ThreadFactory factory = r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    ThreadPoolExecutor pool = new ThreadPoolExecutor(POOL_THREADS, POOL_THREADS, 60,
        TimeUnit.SECONDS, new LinkedBlockingQueue<>(), factory);
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  private static ExecutorService newVirtualThreadExecutor(String name) {
    try {
      var lookup = MethodHandles.publicLookup();
      Class<?> builderClass = Class.forName("java.lang.Thread$Builder");
      Class<?> ofVirtualClass = Class.forName("java.lang.Thread$Builder$OfVirtual");
      Object builder = lookup.findStatic(Thread.class, "ofVirtual", MethodType.methodType(ofVirtualClass))
          .invoke();
      builder = lookup.findVirtual(ofVirtualClass, "name",
          MethodType.methodType(ofVirtualClass, String.class, long.class)).invoke(builder, name + "-", 0L);
      ThreadFactory factory = (ThreadFactory) lookup.findVirtual(builderClass, "factory",
          MethodType.methodType(ThreadFactory.class)).invoke(builder);
      return (ExecutorService) lookup.findStatic(java.util.concurrent.Executors.class,
          "newThreadPerTaskExecutor", MethodType.methodType(ExecutorService.class, ThreadFactory.class))
          .invoke(factory);
    } catch (Throwable t) {
      return null;
    }
  }
}
