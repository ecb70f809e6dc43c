package dev.strand.bench.jmh;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * {@code -prof dev.strand.bench.jmh.CpuPerOpProfiler}: the CPU time the whole forked JVM spent per
 * operation in each iteration: every thread's, the event loops', the GC's and an SDK's export
 * thread's alike. When client and server share the JVM and the machine is saturated, throughput is
 * cores over this figure, and it is steadier than the wall time: a thread that waits for a CPU adds
 * to the wall time, not to this.
 */
public final class CpuPerOpProfiler implements InternalProfiler {
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private long startNanos;

  @Override
  public String getDescription() {
    return "process CPU time per operation";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmark, IterationParams iteration) {
    startNanos = os.getProcessCpuTime();
  }

  @Override
  public Collection<? extends Result> afterIteration(
      BenchmarkParams benchmark, IterationParams iteration, IterationResult result) {
    long cpuNanos = os.getProcessCpuTime() - startNanos;
    long ops = result.getMetadata().getAllOps();
    double perOp = ops == 0 ? Double.NaN : cpuNanos / 1_000.0 / ops;
    return List.of(new ScalarResult("cpu.per.op", perOp, "us/op", AggregationPolicy.AVG));
  }
}
