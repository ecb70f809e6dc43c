package dev.strand.bench;

import java.util.List;

/**
 * The h2load tables of results.md: every server at saturation (throughput, CPU per call and the
 * latency percentiles from h2load's per-request log), then the same percentiles at fixed offered
 * rates below saturation. Medians over rounds, each percentile taken within its round first.
 */
final class H2loadReport {
  static final List<String> SATURATED_LABELS =
      List.of(
          "strand/async",
          "grpc-java/direct",
          "strand/blocking",
          "grpc-java/default-executor",
          "vertx/event-loop",
          "netty/bare");

  private static final String SATURATED = "unary-4x32";

  private H2loadReport() {}

  static void render(StringBuilder md, Results r) {
    md.append("\n### h2load: 4 connections x 32 streams, unary (neutral load generator)\n\n");
    md.append(
        "Latencies from h2load's `--log-file` (one row per request, nearest-rank percentiles "
            + "per round), medians over rounds.\n\n");
    md.append(
        "| server | req/s | range | server CPU per call (µs) | p50 µs | p99 µs | p99.9 µs | max µs "
            + "| req/s vs grpc-java/direct | CPU vs grpc-java/direct | req/s vs bare Netty |\n");
    md.append("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    double gRate = r.median("h2load", "grpc-java/direct", SATURATED, "rate");
    double gCpu = r.median("h2load", "grpc-java/direct", SATURATED, "server_cpu_us_per_op");
    double nRate = r.median("h2load", "netty/bare", SATURATED, "rate");
    for (String label : SATURATED_LABELS) {
      double rate = r.median("h2load", label, SATURATED, "rate");
      double cpu = r.median("h2load", label, SATURATED, "server_cpu_us_per_op");
      md.append("| ")
          .append(label)
          .append(" | ")
          .append(Report.num(rate))
          .append(" | ")
          .append(r.spread("h2load", label, SATURATED, "rate"))
          .append(" | ")
          .append(Report.num(cpu));
      percentiles(md, r, label, SATURATED);
      md.append(" | ")
          .append(Report.ratio(rate, gRate))
          .append(" | ")
          .append(Report.ratio(cpu, gCpu))
          .append(" | ")
          .append(Report.ratio(rate, nRate))
          .append(" |\n");
    }
    tailEvidence(md, r);
    fixedRate(md, r);
  }

  /** What held the slow requests of the saturated runs: the collector, or the scheduler. */
  private static void tailEvidence(StringBuilder md, Results r) {
    md.append("\n### Where the saturated tail comes from\n\n");
    md.append(
        "Per round, medians over rounds. *GC*: the server's own `-Xlog:gc` pauses during the run; "
            + "*slow calls in a GC pause*: of the requests at or above the round's p99, the share "
            + "whose time overlaps a pause (±1 ms, the log's resolution). *Run-queue wait*: time "
            + "the server's threads were runnable but had no CPU (`/proc/PID/task/*/schedstat`), "
            + "per second of the run, summed over threads.\n\n");
    md.append(
        "| server | p99 µs | GC pauses | GC ms/s | longest pause µs | slow calls in a GC pause "
            + "| run-queue wait ms/s |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|\n");
    for (String label : SATURATED_LABELS) {
      md.append("| ").append(label);
      for (String metric :
          List.of(
              "p99_us",
              "gc_pauses",
              "gc_pause_ms_per_s",
              "gc_longest_pause_us",
              "slow_in_gc_pause_pct",
              "runq_wait_ms_per_s")) {
        String v = Report.num(r.median("h2load", label, SATURATED, metric));
        md.append(" | ").append(v).append(metric.endsWith("pct") && !v.equals("–") ? "%" : "");
      }
      md.append(" |\n");
    }
  }

  private static void fixedRate(StringBuilder md, Results r) {
    md.append("\n### h2load at fixed offered rates (same 4 x 32, `--rps` per connection)\n\n");
    md.append(
        "The offered rate is a share of the slowest of these servers' median saturated rate "
            + "above, the same for every server; below saturation the tail is the stack's own, "
            + "not queueing.\n\n");
    md.append(
        "| offered | server | req/s done | server CPU per call (µs) | p50 µs | p99 µs | p99.9 µs "
            + "| max µs | p99 range |\n");
    md.append("|---|---|---:|---:|---:|---:|---:|---:|---|\n");
    for (int percent : SideBySide.FIXED_RATE_PERCENTS) {
      String scenario = SideBySide.fixedRateScenario(percent);
      for (SideBySide.ServerSpec spec : SideBySide.FIXED_RATE_SPECS) {
        String label = spec.label();
        double offered = r.median("h2load", label, scenario, "offered");
        md.append("| ")
            .append(percent)
            .append("% (")
            .append(Report.num(offered))
            .append(" req/s) | ")
            .append(label)
            .append(" | ")
            .append(Report.num(r.median("h2load", label, scenario, "rate")))
            .append(" | ")
            .append(Report.num(r.median("h2load", label, scenario, "server_cpu_us_per_op")));
        percentiles(md, r, label, scenario);
        md.append(" | ").append(r.spread("h2load", label, scenario, "p99_us")).append(" |\n");
      }
    }
  }

  private static void percentiles(StringBuilder md, Results r, String label, String scenario) {
    for (String metric : List.of("p50_us", "p99_us", "p999_us", "max_us")) {
      md.append(" | ").append(Report.num(r.median("h2load", label, scenario, metric)));
    }
  }
}
