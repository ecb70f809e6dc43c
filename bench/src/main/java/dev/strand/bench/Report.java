package dev.strand.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Turns the results into the Markdown tables of docs/BENCHMARKS.md. */
public final class Report {
  private static final String S = "strand -> strand";
  private static final String G = "grpc-java -> grpc-java";
  private static final String SG = "strand -> grpc-java";
  private static final String GS = "grpc-java -> strand";

  private final SideBySide h;
  private final StringBuilder timing = new StringBuilder();
  private final StringBuilder extra = new StringBuilder();
  private String startLoad;
  private long startMillis;

  Report(SideBySide h) {
    this.h = h;
  }

  void begin() {
    startLoad = SideBySide.loadAverage();
    startMillis = System.currentTimeMillis();
  }

  void sectionTime(String section, double seconds, String load0, String load1) {
    timing.append(
        String.format(Locale.ROOT, "| %s | %.0f s | %s | %s |%n", section, seconds, load0, load1));
  }

  void addExtra(String markdown) {
    extra.append(markdown).append('\n');
  }

  String render(List<String> failed) {
    Results r = h.results;
    StringBuilder md = new StringBuilder();
    md.append("## Results (")
        .append(h.mode)
        .append(" run, ")
        .append(java.time.LocalDateTime.now(java.time.ZoneId.systemDefault()).withNano(0))
        .append(")\n\n");
    md.append(machine());
    md.append("\nEach server and client JVM is long-lived and JIT-warmed (")
        .append(h.jitWarmup)
        .append(
            " s of mixed load per pair) before anything is measured; then every measurement has ")
        .append(h.warmup)
        .append(" s of warmup and ")
        .append(h.duration)
        .append(" s measured, A B A B, ")
        .append(h.rounds)
        .append(" round(s); medians, with the min–max over rounds.\n\n");
    if (!failed.isEmpty()) {
      md.append("**Sections that failed:** ").append(String.join("; ", failed)).append("\n\n");
    }
    if (!h.runFailures.isEmpty()) {
      md.append("**Runs that failed** (their numbers are missing from the medians):\n\n");
      for (String f : h.runFailures) {
        md.append("- ").append(f).append('\n');
      }
      md.append('\n');
    }

    md.append("### Side by side: each stack with its own client (JDK ")
        .append(h.mainJdk.feature())
        .append(")\n\n");
    md.append(
        "Strand: async handlers on the event loop. grpc-java 1.85.1: directExecutor on both "
            + "sides. Payload 100 bytes each way. *Spin off*: a third Strand pair whose server and "
            + "client run with `-Dstrand.eventLoopSpinMicros=0`, so their idle event loops block at "
            + "once as Netty's do, measured in the same rounds.\n\n");
    md.append(
        "| metric | Strand | grpc-java | Strand / grpc-java | better | Strand range | grpc-java range | Strand, spin off | spin off / grpc-java |\n");
    md.append("|---|---:|---:|---:|---|---|---|---:|---:|\n");
    mainRow(md, "unary latency p50, 1 outstanding (µs)", "unary-latency", "p50_us", false);
    mainRow(md, "unary latency p99, 1 outstanding (µs)", "unary-latency", "p99_us", false);
    mainRow(md, "unary calls/s, 64 outstanding, 1 connection", "unary-64x1", "rate", true);
    mainRow(md, "unary calls/s, 64 outstanding, 4 connections", "unary-64x4", "rate", true);
    mainRow(md, "server CPU per call, 64 x 4 (µs)", "unary-64x4", "server_cpu_us_per_op", false);
    mainRow(md, "client CPU per call, 64 x 4 (µs)", "unary-64x4", "client_cpu_us_per_op", false);
    mainRow(md, "streaming ping-pong (msgs/s)", "stream-pingpong", "rate", true);
    mainRow(md, "server streaming, 1 KiB messages (MB/s)", "server-stream-1k", "mb_per_s", true);
    mainRow(md, "server streaming, 64 KiB messages (MB/s)", "server-stream-64k", "mb_per_s", true);

    md.append("\n### Cross directions\n\n");
    md.append(
        "Client effect = (Strand client -> grpc-java server) / (grpc-java -> grpc-java); "
            + "server effect = (grpc-java client -> Strand server) / (grpc-java -> grpc-java).\n\n");
    md.append(
        "| metric | strand->strand | grpc-java->grpc-java | strand->grpc-java | grpc-java->strand | client effect | server effect |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|\n");
    crossRow(md, "unary p50 (µs)", "unary-latency", "p50_us");
    crossRow(md, "unary p99 (µs)", "unary-latency", "p99_us");
    crossRow(md, "unary calls/s, 64 x 1", "unary-64x1", "rate");
    crossRow(md, "streaming ping-pong (msgs/s)", "stream-pingpong", "rate");
    crossRow(md, "server streaming 64 KiB (MB/s)", "server-stream-64k", "mb_per_s");

    H2loadReport.render(md, r);

    loadBalancingTable(md);

    md.append("\n### Server memory with ")
        .append(h.idleConnections)
        .append(" idle connections\n\n");
    md.append(
        "RSS after a full GC (jcmd GC.run), before and after the connections were opened "
            + "(each made one call); both servers -Xmx1g, G1.\n\n");
    md.append(
        "| server | RSS before (MiB) | RSS with connections (MiB) | KiB per connection | RSS vs grpc-java |\n");
    md.append("|---|---:|---:|---:|---:|\n");
    String idle = "idle-" + h.idleConnections;
    double gRss = r.median("rss", "grpc-java/direct", idle, "rss_mib");
    for (String label : List.of("strand/async", "grpc-java/direct")) {
      double rss = r.median("rss", label, idle, "rss_mib");
      md.append("| ")
          .append(label)
          .append(" | ")
          .append(num(r.median("rss", label, idle, "rss_mib_before")))
          .append(" | ")
          .append(num(rss))
          .append(" | ")
          .append(num(r.median("rss", label, idle, "kib_per_conn")))
          .append(" | ")
          .append(ratio(rss, gRss))
          .append(" |\n");
    }

    md.append("\n### Blocking handlers vs async handlers, JDK 17 and JDK 25\n\n");
    md.append(
            "Strand blocking = a virtual thread per call on 21+, a bounded pool on 17; "
                + "grpc-java default-executor = its cached thread pool. Each stack's own client on the "
                + "same JDK. ")
        .append(h.flavourRounds)
        .append(" round(s).\n\n");
    md.append(
        "| JDK | server | p50 (µs) | p99 (µs) | calls/s 64 x 1 | server CPU per call 64 x 1 (µs) |\n");
    md.append("|---|---|---:|---:|---:|---:|\n");
    for (Integer f : h.jdks.keySet()) {
      String sec = "flavours-jdk" + f;
      for (String label :
          List.of(
              "strand/async",
              "strand/blocking",
              "grpc-java/direct",
              "grpc-java/default-executor")) {
        md.append("| ")
            .append(f)
            .append(" | ")
            .append(label)
            .append(" | ")
            .append(num(r.median(sec, label, "unary-latency", "p50_us")))
            .append(" | ")
            .append(num(r.median(sec, label, "unary-latency", "p99_us")))
            .append(" | ")
            .append(num(r.median(sec, label, "unary-64x1", "rate")))
            .append(" | ")
            .append(num(r.median(sec, label, "unary-64x1", "server_cpu_us_per_op")))
            .append(" |\n");
      }
    }

    md.append("\n### grpc-java's own load generator (grpc-benchmarks 1.70.0 AsyncClient)\n\n");
    md.append(
        "`io.grpc.benchmarks.qps.AsyncClient --channels=1 --outstanding_rpcs=64 "
            + "--client_payload=100 --server_payload=100 --directexecutor --transport=netty_epoll`, "
            + "in its own JVM with its own classpath.\n\n");
    md.append(
        "| server | QPS | p50 (µs) | p99 (µs) | QPS vs grpc-java/direct |\n|---|---:|---:|---:|---:|\n");
    double aq = r.median("asyncclient", "grpc-java/direct", "unary-64x1", "rate");
    for (String label : List.of("strand/async", "grpc-java/direct", "strand/blocking")) {
      double q = r.median("asyncclient", label, "unary-64x1", "rate");
      md.append("| ")
          .append(label)
          .append(" | ")
          .append(num(q))
          .append(" | ")
          .append(num(r.median("asyncclient", label, "unary-64x1", "p50_us")))
          .append(" | ")
          .append(num(r.median("asyncclient", label, "unary-64x1", "p99_us")))
          .append(" | ")
          .append(ratio(q, aq))
          .append(" |\n");
    }

    md.append("\n### JMH microbenchmarks (-prof gc)\n\n");
    md.append(
        "| benchmark | unit | Strand | grpc-java | Strand / grpc-java | Strand B/op | grpc-java B/op | alloc Strand / grpc-java |\n");
    md.append("|---|---|---:|---:|---:|---:|---:|---:|\n");
    Set<String> jmh = new LinkedHashSet<>(Jmh.UNITS.keySet());
    for (String b : jmh) {
      double s = r.median("jmh", "strand", b, "score");
      double g = r.median("jmh", "grpc-java", b, "score");
      double sa = r.median("jmh", "strand", b, "alloc_b_per_op");
      double ga = r.median("jmh", "grpc-java", b, "alloc_b_per_op");
      md.append("| ")
          .append(b)
          .append(" | ")
          .append(Jmh.UNITS.get(b))
          .append(" | ")
          .append(num(s))
          .append(" | ")
          .append(num(g))
          .append(" | ")
          .append(ratio(s, g))
          .append(" | ")
          .append(num(sa))
          .append(" | ")
          .append(num(ga))
          .append(" | ")
          .append(ratio(sa, ga))
          .append(" |\n");
    }

    double gRate = r.median("h2load", "grpc-java/direct", "unary-4x32", "rate");
    double gCpu = r.median("h2load", "grpc-java/direct", "unary-4x32", "server_cpu_us_per_op");
    md.append("\n### The issue's targets\n\n");
    md.append("| target | measured | met? |\n|---|---|---|\n");
    double h2 = ratioValue(r.median("h2load", "strand/async", "unary-4x32", "rate"), gRate);
    target(
        md,
        "unary throughput ≥ 1.5x grpc-java (h2load 4x32)",
        h2,
        1.5,
        true,
        "strand/async vs grpc-java/direct");
    double cpu =
        ratioValue(r.median("h2load", "strand/async", "unary-4x32", "server_cpu_us_per_op"), gCpu);
    target(md, "server CPU per call ≤ 0.6x", cpu, 0.6, false, "h2load 4x32, /proc utime+stime");
    for (String[] s :
        new String[][] {
          {"stream-pingpong", "rate", "ping-pong msgs/s"},
          {"server-stream-1k", "mb_per_s", "server streaming 1 KiB MB/s"},
          {"server-stream-64k", "mb_per_s", "server streaming 64 KiB MB/s"}
        }) {
      target(
          md,
          "streaming ≥ 1.3x: " + s[2],
          ratioValue(r.median("main", S, s[0], s[1]), r.median("main", G, s[0], s[1])),
          1.3,
          true,
          "each stack with its own client");
    }
    target(
        md,
        "p50 latency ≤ 0.8x",
        ratioValue(
            r.median("main", S, "unary-latency", "p50_us"),
            r.median("main", G, "unary-latency", "p50_us")),
        0.8,
        false,
        "1 call outstanding");
    target(
        md,
        "p99 latency ≤ 0.8x",
        ratioValue(
            r.median("main", S, "unary-latency", "p99_us"),
            r.median("main", G, "unary-latency", "p99_us")),
        0.8,
        false,
        "1 call outstanding");
    String unary = null;
    for (String b : jmh) {
      if (b.startsWith("UnaryCallBenchmark.")) {
        unary = b;
      }
    }
    target(
        md,
        "allocation per unary call ≤ 0.5x",
        unary == null
            ? Double.NaN
            : ratioValue(
                r.median("jmh", "strand", unary, "alloc_b_per_op"),
                r.median("jmh", "grpc-java", unary, "alloc_b_per_op")),
        0.5,
        false,
        "JMH, client + server in one JVM, gc.alloc.rate.norm");

    md.append(
        "\n### Run\n\n| section | time | load avg at start | load avg at end |\n|---|---:|---|---|\n");
    md.append(timing);
    md.append(
        String.format(
            Locale.ROOT,
            "%nTotal %.0f s; load average (1, 5, 15 min) %s at the " + "start, %s at the end.%n",
            (System.currentTimeMillis() - startMillis) / 1e3,
            startLoad,
            SideBySide.loadAverage()));
    md.append(extra);
    return md.toString();
  }

  /** The lb section: round_robin over four addresses against one direct address. */
  private void loadBalancingTable(StringBuilder md) {
    Results r = h.results;
    md.append("\n### Load balancing: round_robin over 4 addresses vs 1 direct address\n\n");
    md.append(
        "One Strand server listening on 127.0.0.2 to .5; one Strand client JVM, through a channel"
            + " to one address (pick_first, 1 connection) and a round_robin channel over the four"
            + " (4 connections), A B per round. Target: round_robin within 5% of direct"
            + " throughput.\n\n");
    md.append(
        "| metric | direct | round_robin | round_robin / direct | better | direct range | round_robin range |\n");
    md.append("|---|---:|---:|---:|---|---|---|\n");
    String d = SideBySide.LB_DIRECT;
    String rr = SideBySide.LB_ROUND_ROBIN;
    String[][] rows = {
      {"unary calls/s, 64 outstanding", "unary-64x1", "rate", "higher"},
      {"client CPU per call, 64 outstanding (µs)", "unary-64x1", "client_cpu_us_per_op", "lower"},
      {"server CPU per call, 64 outstanding (µs)", "unary-64x1", "server_cpu_us_per_op", "lower"},
      {"unary latency p50, 1 outstanding (µs)", "unary-latency", "p50_us", "lower"},
      {"unary latency p99, 1 outstanding (µs)", "unary-latency", "p99_us", "lower"},
    };
    for (String[] row : rows) {
      double a = r.median("lb", d, row[1], row[2]);
      double b = r.median("lb", rr, row[1], row[2]);
      md.append("| ")
          .append(row[0])
          .append(" | ")
          .append(num(a))
          .append(" | ")
          .append(num(b))
          .append(" | ")
          .append(ratio(b, a))
          .append(" | ")
          .append(row[3])
          .append(" | ")
          .append(r.spread("lb", d, row[1], row[2]))
          .append(" | ")
          .append(r.spread("lb", rr, row[1], row[2]))
          .append(" |\n");
    }
  }

  private void mainRow(
      StringBuilder md, String title, String scenario, String metric, boolean higherBetter) {
    Results r = h.results;
    double s = r.median("main", S, scenario, metric);
    double g = r.median("main", G, scenario, metric);
    double n = r.median("main", SideBySide.SPIN_OFF_PAIR, scenario, metric);
    md.append("| ")
        .append(title)
        .append(" | ")
        .append(num(s))
        .append(" | ")
        .append(num(g))
        .append(" | ")
        .append(ratio(s, g))
        .append(" | ")
        .append(higherBetter ? "higher" : "lower")
        .append(" | ")
        .append(r.spread("main", S, scenario, metric))
        .append(" | ")
        .append(r.spread("main", G, scenario, metric))
        .append(" | ")
        .append(num(n))
        .append(" | ")
        .append(ratio(n, g))
        .append(" |\n");
  }

  private void crossRow(StringBuilder md, String title, String scenario, String metric) {
    Results r = h.results;
    double ss = r.median("main", S, scenario, metric);
    double gg = r.median("main", G, scenario, metric);
    double sg = r.median("main", SG, scenario, metric);
    double gs = r.median("main", GS, scenario, metric);
    md.append("| ")
        .append(title)
        .append(" | ")
        .append(num(ss))
        .append(" | ")
        .append(num(gg))
        .append(" | ")
        .append(num(sg))
        .append(" | ")
        .append(num(gs))
        .append(" | ")
        .append(ratio(sg, gg))
        .append(" | ")
        .append(ratio(gs, gg))
        .append(" |\n");
  }

  private static void target(
      StringBuilder md, String title, double ratio, double bound, boolean atLeast, String how) {
    String met =
        Double.isNaN(ratio)
            ? "not measured"
            : (atLeast ? ratio >= bound : ratio <= bound) ? "**yes**" : "no";
    md.append("| ")
        .append(title)
        .append(" | ")
        .append(Double.isNaN(ratio) ? "–" : String.format(Locale.ROOT, "%.2fx", ratio))
        .append(" (")
        .append(how)
        .append(") | ")
        .append(met)
        .append(" |\n");
  }

  private String machine() {
    StringBuilder sb = new StringBuilder();
    String cpu = "?";
    long memKib = -1;
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          cpu = line.substring(line.indexOf(':') + 1).trim();
          break;
        }
      }
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          memKib = Long.parseLong(line.replaceAll("\\D+", ""));
        }
      }
    } catch (Exception ignored) {
      // leave '?'
    }
    sb.append("Machine: ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" CPUs (")
        .append(cpu)
        .append("), ")
        .append(memKib > 0 ? Math.round(memKib / 1024.0 / 1024.0) + " GiB" : "?")
        .append(" RAM. Server and client share the CPUs; runs are sequential, nothing pinned.\n\n");
    sb.append("JDKs: ");
    List<String> j = new ArrayList<>();
    for (SideBySide.Jdk jdk : h.jdks.values()) {
      j.add(
          jdk.feature()
              + " = "
              + jdk.version()
              + (jdk == h.mainJdk ? " (side-by-side tables)" : ""));
    }
    sb.append(String.join("; ", j))
        .append(". Every JVM: ")
        .append(String.join(" ", h.jvm(h.mainJdk).subList(1, h.jvm(h.mainJdk).size())))
        .append(".\n");
    return sb.toString();
  }

  public static double ratioValue(double a, double b) {
    return Double.isNaN(a) || Double.isNaN(b) || b == 0 ? Double.NaN : a / b;
  }

  public static String ratio(double a, double b) {
    double r = ratioValue(a, b);
    return Double.isNaN(r) ? "–" : String.format(Locale.ROOT, "%.2fx", r);
  }

  public static String num(double v) {
    if (Double.isNaN(v)) {
      return "–";
    }
    double a = Math.abs(v);
    if (a >= 1000) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    if (a >= 100) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    if (a >= 10) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    return String.format(Locale.ROOT, "%.2f", v);
  }
}
