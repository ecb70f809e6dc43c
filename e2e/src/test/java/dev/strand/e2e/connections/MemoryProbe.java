package dev.strand.e2e.connections;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.buffer.PooledByteBufAllocator;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Heap and Netty direct memory in use, measured after a full GC. The server shares the JVM with the
 * clients, so this is an upper bound on what the server holds.
 *
 * <p>Direct memory is read from both Netty allocators: {@code PooledByteBufAllocator.DEFAULT} and
 * {@code ByteBufAllocator.DEFAULT}, which in Netty 4.2 is the adaptive allocator that Strand's
 * channels actually use (io.netty.allocator.type defaults to "adaptive").
 */
final class MemoryProbe {
  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
  static final long MB = 1024 * 1024;

  record Snapshot(long heapBytes, long directBytes) {
    /** How much each grew from {@code before}, as "heap +X MB, direct +Y MB". */
    String growthSince(Snapshot before) {
      return String.format(
          "heap %+.1f MB, direct %+.1f MB",
          (heapBytes - before.heapBytes) / (double) MB,
          (directBytes - before.directBytes) / (double) MB);
    }
  }

  private MemoryProbe() {}

  static Snapshot take() {
    for (int i = 0; i < 2; i++) {
      System.gc();
      try {
        Thread.sleep(30);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return new Snapshot(MEMORY.getHeapMemoryUsage().getUsed(), direct());
  }

  static long direct() {
    long pooled = PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();
    long adaptive = 0;
    if (ByteBufAllocator.DEFAULT != PooledByteBufAllocator.DEFAULT
        && ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider p) {
      adaptive = p.metric().usedDirectMemory();
    }
    return pooled + adaptive;
  }

  /** Fails unless heap and direct memory grew by less than the bounds since {@code before}. */
  static void assertBounded(
      Snapshot before, Snapshot after, long heapBoundBytes, long directBoundBytes) {
    long heap = after.heapBytes - before.heapBytes;
    long direct = after.directBytes - before.directBytes;
    if (heap >= heapBoundBytes || direct >= directBoundBytes) {
      throw new AssertionError(
          "memory not bounded: "
              + after.growthSince(before)
              + " (bounds: heap "
              + heapBoundBytes / MB
              + " MB, direct "
              + directBoundBytes / MB
              + " MB)");
    }
  }
}
