package dev.strand.testing;

import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes Netty's leak reports visible to tests: every detector Netty creates records what it
 * reports, so a test run can fail on a leak instead of only logging it.
 */
public final class LeakRecorder {
  private static final List<String> LEAKS = new ArrayList<>();
  private static boolean installed;

  private LeakRecorder() {}

  /** Must run before Netty creates its first buffer. Idempotent. */
  public static synchronized void install() {
    if (installed) {
      return;
    }
    installed = true;
    ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(
        new ResourceLeakDetectorFactory() {
          @Override
          @SuppressWarnings("deprecation")
          public <T> ResourceLeakDetector<T> newResourceLeakDetector(
              Class<T> resource, int samplingInterval, long maxActive) {
            return new ResourceLeakDetector<T>(resource, samplingInterval) {
              @Override
              protected void reportTracedLeak(String resourceType, String records) {
                record(resourceType + records);
                super.reportTracedLeak(resourceType, records);
              }

              @Override
              protected void reportUntracedLeak(String resourceType) {
                record(resourceType + " (untraced)");
                super.reportUntracedLeak(resourceType);
              }
            };
          }
        });
  }

  private static synchronized void record(String leak) {
    LEAKS.add(leak);
  }

  /** Leaks reported since the last call; provokes detection first. */
  public static List<String> drain() {
    for (int i = 0; i < 3; i++) {
      System.gc();
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      // Detection happens when buffers are allocated: allocate some to poll the queue.
      for (int j = 0; j < 64; j++) {
        io.netty.buffer.PooledByteBufAllocator.DEFAULT.directBuffer(16).release();
        io.netty.buffer.Unpooled.directBuffer(16).release();
      }
    }
    synchronized (LeakRecorder.class) {
      List<String> copy = new ArrayList<>(LEAKS);
      LEAKS.clear();
      return copy;
    }
  }
}
