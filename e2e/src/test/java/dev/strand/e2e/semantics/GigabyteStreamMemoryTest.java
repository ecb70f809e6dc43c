package dev.strand.e2e.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.server.ServiceDefinition;
import dev.strand.stub.ServerCalls;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 1 GiB (16,384 x 64 KiB) streamed by a Strand server to a grpc-java client that reads slowly at
 * first, then fast: the server's memory stays flat because its blocking writer waits on flow
 * control instead of queueing. Sampled every 20 ms while it runs: Netty's pooled direct memory
 * (Strand's; grpc-java's shaded Netty has its own pool) and the heap the young collector cannot
 * simply drop (old and survivor spaces: what a queue of messages would grow). Loopback only.
 */
@Timeout(120)
class GigabyteStreamMemoryTest {
  private static final int MESSAGE = 64 * 1024;
  private static final int COUNT = 16_384;
  private static final int SLOW_READS = 200;
  private static final long GROWTH_LIMIT = 64L * 1024 * 1024;
  private static final byte[] BIG = new byte[MESSAGE];

  private final Peers peers = new Peers();
  private final AtomicInteger sent = new AtomicInteger();
  private final AtomicLong maxDirect = new AtomicLong();
  private final AtomicLong maxRetainedHeap = new AtomicLong();
  private final AtomicLong maxHeap = new AtomicLong();

  @AfterEach
  void stop() throws Exception {
    peers.close();
  }

  /** grpc-java's side reads each message into one reused buffer and keeps only its size. */
  private static final io.grpc.MethodDescriptor.Marshaller<Integer> SIZE_ONLY =
      new io.grpc.MethodDescriptor.Marshaller<>() {
        private final byte[] scratch = new byte[MESSAGE];

        @Override
        public InputStream stream(Integer value) {
          throw new UnsupportedOperationException();
        }

        @Override
        public Integer parse(InputStream stream) {
          try {
            int total = 0;
            for (int n; (n = stream.read(scratch)) > 0; ) {
              total += n;
            }
            return total;
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };

  private static long directUsed() {
    return PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();
  }

  /** Heap in use outside the young generation's eden: where retained messages would pile up. */
  private static long retainedHeap() {
    long used = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && !pool.getName().contains("Eden")) {
        used += pool.getUsage().getUsed();
      }
    }
    return used;
  }

  private void sample() {
    maxDirect.accumulateAndGet(directUsed(), Math::max);
    maxRetainedHeap.accumulateAndGet(retainedHeap(), Math::max);
    maxHeap.accumulateAndGet(
        ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
  }

  @Test
  void aGigabyteToASlowReaderKeepsTheServersMemoryFlat() throws Exception {
    ServiceDefinition service =
        ServiceDefinition.builder(Probe.SERVICE)
            .method(
                Probe.SERVER_STREAM,
                ServerCalls.serverStreaming(
                    (req, out) -> {
                      for (int i = 0; i < COUNT; i++) {
                        out.send(BIG);
                        sent.incrementAndGet();
                      }
                    }))
            .build();
    int port = peers.start(Peers.strandServer().service(service)).port();
    var channel = peers.start(Peers.grpcChannel(port).flowControlWindow(1024 * 1024));

    long baseDirect = directUsed();
    long baseRetained = retainedHeap();
    long baseHeap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    ScheduledExecutorService sampler =
        peers.addExecutor(Executors.newSingleThreadScheduledExecutor());
    sampler.scheduleAtFixedRate(this::sample, 0, 20, TimeUnit.MILLISECONDS);

    AtomicInteger received = new AtomicInteger();
    AtomicLong bytes = new AtomicLong();
    CompletableFuture<io.grpc.Status> status = new CompletableFuture<>();
    var call =
        channel.newCall(
            Probe.grpc(
                io.grpc.MethodDescriptor.MethodType.SERVER_STREAMING,
                "ServerStream",
                Probe.G_BYTES,
                SIZE_ONLY),
            io.grpc.CallOptions.DEFAULT.withDeadlineAfter(100, TimeUnit.SECONDS));
    long start = System.nanoTime();
    call.start(
        new io.grpc.ClientCall.Listener<Integer>() {
          @Override
          public void onMessage(Integer size) {
            received.incrementAndGet();
            bytes.addAndGet(size);
          }

          @Override
          public void onClose(io.grpc.Status s, io.grpc.Metadata trailers) {
            status.complete(s);
          }
        },
        new io.grpc.Metadata());
    call.sendMessage(Probe.text("go"));
    call.halfClose();

    // Slowly: one message every 5 ms. The writer may stay only a window or so ahead.
    int mostAhead = 0;
    for (int i = 1; i <= SLOW_READS; i++) {
      call.request(1);
      Thread.sleep(5);
      mostAhead = Math.max(mostAhead, sent.get() - received.get());
    }
    assertTrue(
        mostAhead <= Backpressure.BOUND,
        "while the reader was slow, the server got " + mostAhead + " messages ahead of it");

    // Then as fast as it can.
    call.request(Integer.MAX_VALUE);
    assertEquals(io.grpc.Status.Code.OK, status.get(90, TimeUnit.SECONDS).getCode());
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
    sampler.shutdown();
    sampler.awaitTermination(5, TimeUnit.SECONDS);
    sample();

    assertEquals(COUNT, received.get());
    assertEquals((long) COUNT * MESSAGE, bytes.get());
    String report =
        String.format(
            "1 GiB in %d s; growth over baseline: direct %d MiB, "
                + "old+survivor heap %d MiB, whole heap (garbage included) %d MiB",
            seconds,
            mib(maxDirect.get() - baseDirect),
            mib(maxRetainedHeap.get() - baseRetained),
            mib(maxHeap.get() - baseHeap));
    System.out.println(report);
    assertTrue(maxDirect.get() - baseDirect < GROWTH_LIMIT, report);
    assertTrue(maxRetainedHeap.get() - baseRetained < GROWTH_LIMIT, report);
    assertTrue(seconds < 60, report);
  }

  private static long mib(long bytes) {
    return bytes / (1024 * 1024);
  }
}
