package dev.strand.e2e.semantics;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.client.CallOptions;
import dev.strand.internal.call.MethodConfigOptions;
import dev.strand.internal.config.ServiceConfig;
import dev.strand.internal.config.ServiceConfigParser;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * What the service config costs a call it says nothing about: no allocation, whether the channel
 * has no config or one for other methods. Measured with the JVM's per-thread allocation counter
 * (here, on the class path, where com.sun.management is at hand).
 */
class ServiceConfigCostTest {
  private static final int CALLS = 200_000;

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  /** Bytes this thread allocated applying {@code config} to {@link #CALLS} calls of Probe/Unary. */
  private static long bytesFor(ServiceConfig config, CallOptions options) {
    long sink = 0;
    long before = THREADS.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < CALLS; i++) {
      CallOptions applied = MethodConfigOptions.apply(config, Probe.UNARY, options, 1 << 22);
      sink += applied == options ? 1 : 0;
    }
    long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
    assertSame(options, MethodConfigOptions.apply(config, Probe.UNARY, options, 1 << 22));
    assertTrue(sink == CALLS, "the options were changed");
    return allocated;
  }

  @Test
  void aCallOfAMethodWithoutConfigAllocatesNothing() {
    ServiceConfig others =
        ServiceConfigParser.parse(
            """
            {"methodConfig": [
              {"name": [{"service": "other.Service"}], "timeout": "1s", "waitForReady": true},
              {"name": [{"service": "strand.semantics.Probe", "method": "Bidi"}], "timeout": "1s"}
            ]}
            """);
    CallOptions options = CallOptions.DEFAULT.withCompression("gzip");
    for (ServiceConfig config : new ServiceConfig[] {ServiceConfig.EMPTY, others}) {
      bytesFor(config, options); // warm up: the JIT, the counter's own first call
      long bytes = bytesFor(config, options);
      System.out.println(
          "[service config] " + bytes + " bytes for " + CALLS + " unconfigured calls");
      // Zero in practice; a few bytes of slack for the counter itself, none per call.
      assertTrue(bytes < 1024, bytes + " bytes for " + CALLS + " calls under " + config);
    }
  }
}
