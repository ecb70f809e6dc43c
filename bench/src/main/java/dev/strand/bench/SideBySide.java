package dev.strand.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The side-by-side harness: Strand and grpc-java 1.85.1 in separate JVMs with the same JDK, flags
 * and payloads, interleaved A B A B over rounds, reporting medians and ratios. Started by {@code
 * bench/run-side-by-side.sh}, which finds the JDKs, builds and resolves classpaths.
 *
 * <pre>
 *   --mode=full|quick|smoke     smoke: every path once, tiny durations, fails only if broken
 *   --sections=a,b,..           main,h2load,rss,flavours,asyncclient,jmh,lb,profile
 *                               (default: all but profile)
 *   --jdk.17=PATH --jdk.25=PATH java binaries; --main_jdk=25 runs the side-by-side tables
 *   --cp=CP                     this module's runtime classpath
 *   --grpc_benchmarks_cp=CP     grpc-benchmarks 1.70.0's, for its AsyncClient
 *   --h2load=PATH               h2load, if installed
 *   --out=DIR                   logs, raw.tsv, results.md, JFR files
 *   --jit_warmup=S              each long-lived JVM pair is driven this long before measuring
 *   --warmup=S --duration=S     per measurement (after the JIT warmup)
 *   --rounds=N --flavour_rounds=N --idle_connections=N</pre>
 *
 * </pre>
 */
public final class SideBySide {
  static final List<String> MAIN_SCENARIOS =
      List.of(
          "unary-latency",
          "unary-64x1",
          "unary-64x4",
          "stream-pingpong",
          "server-stream-1k",
          "server-stream-64k");
  static final List<String> CROSS_SCENARIOS =
      List.of("unary-latency", "unary-64x1", "stream-pingpong", "server-stream-64k");
  static final List<String> FLAVOUR_SCENARIOS = List.of("unary-latency", "unary-64x1");

  /** JVM flags that turn off Strand's brief polling of idle event loops (on by default). */
  static final List<String> SPIN_OFF = List.of("-Dstrand.eventLoopSpinMicros=0");

  static final String SPIN_OFF_PAIR = "strand spin-off -> strand spin-off";

  /** A server flavour: which implementation and where its handlers run. */
  record ServerSpec(String impl, String handlers) {
    String label() {
      return impl
          + "/"
          + switch (impl) {
            case "grpc-java" -> handlers.equals("blocking") ? "default-executor" : "direct";
            case "netty" -> "bare";
            case "vertx" -> "event-loop";
            default -> handlers;
          };
    }
  }

  static final ServerSpec STRAND_ASYNC = new ServerSpec("strand", "async");
  static final ServerSpec STRAND_BLOCKING = new ServerSpec("strand", "blocking");
  static final ServerSpec GRPC_DIRECT = new ServerSpec("grpc-java", "async");
  static final ServerSpec GRPC_DEFAULT = new ServerSpec("grpc-java", "blocking");
  static final ServerSpec NETTY = new ServerSpec("netty", "async");
  static final ServerSpec VERTX = new ServerSpec("vertx", "async");

  /** A client stack against a server: one side-by-side pairing. */
  record Pair(String client, ServerSpec server, List<String> scenarios) {
    String label() {
      return client + " -> " + server.impl();
    }
  }

  /** A running benchmark server. */
  /** A server JVM; {@code gcLog} is its {@code -Xlog:gc} file (see {@link TailEvidence}). */
  record Server(Proc proc, int port, long pid, Jdk jdk, Path gcLog) implements AutoCloseable {
    @Override
    public void close() {
      proc.close();
    }
  }

  /** A JDK: its java binary and feature version. */
  record Jdk(String java, int feature, String version) {
    Path bin() {
      return Path.of(java).getParent();
    }
  }

  final String mode;
  final Path out;
  final Map<Integer, Jdk> jdks = new LinkedHashMap<>();
  final Jdk mainJdk;
  final String cp;
  final String grpcBenchmarksCp;
  final String h2load;
  final double warmup;
  final double duration;
  final int rounds;
  final int flavourRounds;
  final int idleConnections;
  final double jitWarmup;
  final int payload = 100;
  final Set<String> sections;
  final Results results;
  final List<String> runFailures = java.util.Collections.synchronizedList(new ArrayList<>());
  final Report report;
  private int logSeq;

  SideBySide(Args args) throws Exception {
    mode = args.get("mode", "full");
    out = Path.of(args.get("out", "bench/target/side-by-side"));
    Files.createDirectories(out.resolve("logs"));
    for (int f : new int[] {17, 21, 25}) {
      String java = args.get("jdk." + f, null);
      if (java != null && !java.isEmpty()) {
        jdks.put(f, new Jdk(java, f, javaVersion(java)));
      }
    }
    if (jdks.isEmpty()) {
      String self = ProcessHandle.current().info().command().orElse("java");
      int f = Runtime.version().feature();
      jdks.put(f, new Jdk(self, f, javaVersion(self)));
    }
    int main = args.getInt("main_jdk", jdks.keySet().stream().max(Integer::compare).orElseThrow());
    mainJdk = jdks.getOrDefault(main, jdks.values().iterator().next());
    cp = args.get("cp", System.getProperty("java.class.path"));
    grpcBenchmarksCp = args.get("grpc_benchmarks_cp", "");
    h2load = args.get("h2load", "");
    boolean quick = mode.equals("quick");
    boolean smoke = mode.equals("smoke");
    warmup = args.getDouble("warmup", smoke ? 0.1 : 1);
    duration = args.getDouble("duration", smoke ? 0.2 : quick ? 2 : 3);
    // Five rounds, not three: on two shared cores single rounds of one ratio spread 1.13x-1.53x
    // within a run, so a median of three leans too much on one bad round.
    rounds = args.getInt("rounds", smoke || quick ? 1 : 5);
    flavourRounds = args.getInt("flavour_rounds", smoke || quick ? 1 : 2);
    idleConnections = args.getInt("idle_connections", smoke ? 20 : 1000);
    jitWarmup = args.getDouble("jit_warmup", smoke ? 0.5 : quick ? 6 : 10);
    String defaultSections = "main,h2load,rss,flavours,asyncclient,jmh,lb";
    sections = new LinkedHashSet<>(Arrays.asList(args.get("sections", defaultSections).split(",")));
    results = new Results(out.resolve("raw.tsv"));
    report = new Report(this);
    ProcStat.clockTicksPerSecond = args.getLong("clk_tck", ProcStat.clockTicksPerSecond);
  }

  public static void main(String[] argv) throws Exception {
    SideBySide h = new SideBySide(new Args(argv));
    long t0 = System.nanoTime();
    int failures;
    try {
      failures = h.mode.equals("smoke") ? new Smoke(h).run() : h.runAll();
    } finally {
      h.log("done in " + Math.round((System.nanoTime() - t0) / 1e9) + " s");
    }
    System.exit(failures == 0 ? 0 : 1);
  }

  private int runAll() throws Exception {
    report.begin();
    List<String> failed = new ArrayList<>();
    for (String section : sections) {
      long t0 = System.nanoTime();
      String load0 = loadAverage();
      try {
        switch (section) {
          case "main" -> mainSection();
          case "h2load" -> loadGeneratorSections(true, sections.contains("asyncclient"));
          case "rss" -> rssSection();
          case "flavours" -> flavoursSection();
          case "asyncclient" -> {
            if (!sections.contains("h2load")) {
              loadGeneratorSections(false, true);
            } // else: run by the h2load section, against the same warm servers
          }
          case "jmh" -> jmhSection();
          case "lb" -> loadBalancingSection();
          case "profile" -> new Profiles(this).run();
          default -> throw new IllegalArgumentException("unknown section " + section);
        }
      } catch (Exception e) {
        failed.add(section + ": " + e);
        log("SECTION FAILED " + section + ": " + e);
      }
      boolean inside = section.equals("asyncclient") && sections.contains("h2load");
      report.sectionTime(
          inside
              ? "asyncclient (timed with h2load)"
              : section.equals("h2load") && sections.contains("asyncclient")
                  ? "h2load + asyncclient"
                  : section,
          (System.nanoTime() - t0) / 1e9,
          load0,
          loadAverage());
    }
    String md = report.render(failed);
    Files.writeString(out.resolve("results.md"), md, StandardCharsets.UTF_8);
    System.out.println(md);
    return failed.size() + runFailures.size();
  }

  // ---- sections ----

  /**
   * Strand and grpc-java end to end, each with its own client, plus both cross directions. Two
   * long-lived servers and two long-lived clients, JIT-warmed once, then A B A B per scenario and
   * round.
   */
  void mainSection() throws Exception {
    try (Server strand = startServer(mainJdk, STRAND_ASYNC, List.of());
        Server grpc = startServer(mainJdk, GRPC_DIRECT, List.of());
        Server strandSpinOff = startServer(mainJdk, STRAND_ASYNC, SPIN_OFF);
        ClientSession cs = session(mainJdk, "strand");
        ClientSession cg = session(mainJdk, "grpc-java");
        ClientSession csSpinOff = new ClientSession(mainJdk, "strand", SPIN_OFF)) {
      log("main: JIT warmup, " + jitWarmup + " s per pair");
      warm(cs, strand, jitWarmup);
      warm(cg, grpc, jitWarmup);
      warm(csSpinOff, strandSpinOff, jitWarmup);
      warm(cs, grpc, jitWarmup / 2);
      warm(cg, strand, jitWarmup / 2);
      for (int round = 1; round <= rounds; round++) {
        log("main round " + round + "/" + rounds);
        for (String scenario : MAIN_SCENARIOS) {
          measure("main", "strand -> strand", round, cs, strand, List.of(scenario), duration);
          measure("main", "grpc-java -> grpc-java", round, cg, grpc, List.of(scenario), duration);
          // Strand with its event loops never polling before they block, as Netty's default.
          measure(
              "main", SPIN_OFF_PAIR, round, csSpinOff, strandSpinOff, List.of(scenario), duration);
          if (CROSS_SCENARIOS.contains(scenario)) {
            measure("main", "strand -> grpc-java", round, cs, grpc, List.of(scenario), duration);
            measure("main", "grpc-java -> strand", round, cg, strand, List.of(scenario), duration);
          }
        }
      }
    }
  }

  /** The four loopback addresses the load-balancing section's one server is reached at. */
  static final List<String> LB_ADDRESSES =
      List.of("127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5");

  static final String LB_DIRECT = "strand direct, 1 address";
  static final String LB_ROUND_ROBIN = "strand round_robin, 4 addresses";

  /**
   * What round_robin costs a Strand client: one Strand server listening on every address (so the
   * server side is the same), called by one long-lived Strand client JVM through a channel to one
   * address (pick_first, one connection) and through a channel whose round_robin policy spreads the
   * calls over four subchannels (127.0.0.2 to .5: four connections), A B per round.
   */
  void loadBalancingSection() throws Exception {
    try (Server server = startLoadBalancedServer(mainJdk);
        ClientSession cs = session(mainJdk, "strand")) {
      String roundRobin = roundRobinFlags(server);
      log("lb: JIT warmup, " + jitWarmup + " s");
      warm(cs, server, jitWarmup / 2);
      cs.run(server, List.of("unary-64x1"), 0, Math.max(0.1, jitWarmup / 2), roundRobin);
      for (int round = 1; round <= rounds; round++) {
        log("lb round " + round + "/" + rounds);
        for (String scenario : List.of("unary-64x1", "unary-latency")) {
          measure("lb", LB_DIRECT, round, cs, server, List.of(scenario), duration, "");
          measure("lb", LB_ROUND_ROBIN, round, cs, server, List.of(scenario), duration, roundRobin);
        }
      }
    }
  }

  /**
   * A Strand server on every address (0.0.0.0), reached at {@link #LB_ADDRESSES}, with one event
   * loop: the same server capacity (one core of two, the client has the other) whether its calls
   * come over one connection or four, as four backends on machines of their own would be. Otherwise
   * four connections would wake four server loops on two cores, and the section would measure the
   * CPU contention of this machine, not what round_robin costs.
   */
  Server startLoadBalancedServer(Jdk jdk) throws Exception {
    return startServer(
        jdk, STRAND_ASYNC, List.of("-Dio.netty.eventLoopThreads=1"), List.of("--host=0.0.0.0"));
  }

  /** LoadClient flags for a round_robin channel over {@link #LB_ADDRESSES} on the server's port. */
  static String roundRobinFlags(Server server) {
    StringBuilder target = new StringBuilder("ipv4:");
    for (String ip : LB_ADDRESSES) {
      target.append(target.length() > 5 ? "," : "").append(ip).append(':').append(server.port());
    }
    return " --channel_target=" + target + " --lb=round_robin";
  }

  /**
   * The neutral load generators against warm servers: h2load (4 connections x 32 streams, with the
   * bare Netty ceiling) and grpc-benchmarks' AsyncClient, whichever of the two sections were asked
   * for.
   */
  void loadGeneratorSections(boolean withH2load, boolean withAsyncClient) throws Exception {
    List<ServerSpec> specs =
        withH2load
            ? List.of(STRAND_ASYNC, GRPC_DIRECT, STRAND_BLOCKING, GRPC_DEFAULT, VERTX, NETTY)
            : List.of(STRAND_ASYNC, GRPC_DIRECT, STRAND_BLOCKING);
    if (withH2load && h2load.isEmpty()) {
      throw new IOException("h2load is not installed (apt-get install nghttp2-client)");
    }
    Path body = writeRequestBody();
    List<Server> servers = new ArrayList<>();
    try {
      for (ServerSpec spec : specs) {
        Server s = startServer(mainJdk, spec, List.of());
        servers.add(s);
        log("load generators: JIT warmup of " + spec.label() + ", " + jitWarmup + " s");
        if (withH2load) {
          runH2loadOnce(s, body, (int) Math.max(1, Math.round(jitWarmup)));
          // Then the connections close and new ones open, as before every measured run: the
          // first close and reconnect compile code the long run never reached (a burst of some
          // 300 compilations and 150 deoptimizations on every stack, -XX:+PrintCompilation),
          // which the first round would otherwise pay for in its tail.
          runH2loadOnce(s, body, 2);
        } else {
          runAsyncClient(s, 1, 64, 1, (int) Math.max(1, Math.round(jitWarmup)));
        }
      }
      if (withH2load) {
        for (int round = 1; round <= rounds; round++) {
          log("h2load round " + round + "/" + rounds);
          for (int i = 0; i < specs.size(); i++) {
            Map<String, Double> r =
                runH2load(servers.get(i), body, 0, Math.max(1, (int) Math.round(duration + 1)));
            recordH2load(specs.get(i), round, "unary-4x32", r);
          }
        }
        fixedRateRounds(specs, servers, body);
      }
      if (withAsyncClient) {
        if (grpcBenchmarksCp.isEmpty()) {
          throw new IOException(
              "no --grpc_benchmarks_cp: build bench without -Dbench.skipGrpcBenchmarks");
        }
        for (int round = 1; round <= Math.max(1, rounds - 1); round++) {
          log("asyncclient round " + round);
          for (int i = 0; i < specs.size(); i++) {
            // AsyncClient compares the gRPC stacks' own clients' view; Vert.x is h2load's rival.
            if (specs.get(i).impl().equals("netty")
                || specs.get(i) == VERTX
                || specs.get(i) == GRPC_DEFAULT) {
              continue;
            }
            // Each AsyncClient run is a fresh JVM: it gets half the JIT warmup of its own.
            Map<String, Double> r =
                runAsyncClient(
                    servers.get(i),
                    1,
                    64,
                    Math.max(1, (int) Math.round(jitWarmup / 2)),
                    Math.max(1, (int) Math.round(duration)));
            for (Map.Entry<String, Double> e : r.entrySet()) {
              results.add(
                  "asyncclient",
                  specs.get(i).label(),
                  round,
                  "unary-64x1",
                  e.getKey(),
                  e.getValue());
            }
          }
        }
      }
    } finally {
      for (Server s : servers) {
        s.close();
      }
    }
  }

  /**
   * The servers the fixed-rate rounds compare: Strand, the tail-latency rival and the ceiling.
   * grpc-java is left out because its saturated rate is below 80% of Vert.x's, so the rate would
   * have to drop to where nothing is loaded.
   */
  static final List<ServerSpec> FIXED_RATE_SPECS = List.of(STRAND_ASYNC, VERTX, NETTY);

  /** The offered rates, as fractions of the slowest of them at saturation. */
  static final List<Integer> FIXED_RATE_PERCENTS = List.of(50, 80);

  /** The raw.tsv scenario of a fixed-rate run at {@code percent} of the slowest saturated rate. */
  static String fixedRateScenario(int percent) {
    return "unary-4x32-at-" + percent + "pct";
  }

  /**
   * h2load at fixed offered rates below saturation (50% and 80% of the slowest server's median
   * saturated rate in this run, the same offered rate for every server), where queueing no longer
   * dominates and the tail is the stack's own.
   */
  void fixedRateRounds(List<ServerSpec> specs, List<Server> servers, Path body) throws Exception {
    double slowest = Double.MAX_VALUE;
    for (ServerSpec spec : FIXED_RATE_SPECS) {
      slowest = Math.min(slowest, results.median("h2load", spec.label(), "unary-4x32", "rate"));
    }
    if (!(slowest > 0) || slowest == Double.MAX_VALUE) {
      throw new IOException("no saturated h2load rate to derive the fixed rates from");
    }
    for (int round = 1; round <= rounds; round++) {
      for (int percent : FIXED_RATE_PERCENTS) {
        double offered = slowest * percent / 100;
        log(
            "h2load fixed rate "
                + percent
                + "% ("
                + Math.round(offered)
                + " req/s), round "
                + round);
        for (int i = 0; i < specs.size(); i++) {
          if (FIXED_RATE_SPECS.contains(specs.get(i))) {
            Map<String, Double> r =
                runH2load(
                    servers.get(i), body, 0, Math.max(1, (int) Math.round(duration + 1)), offered);
            r.put("offered", offered);
            recordH2load(specs.get(i), round, fixedRateScenario(percent), r);
          }
        }
      }
    }
  }

  void recordH2load(ServerSpec spec, int round, String scenario, Map<String, Double> r) {
    for (Map.Entry<String, Double> e : r.entrySet()) {
      results.add("h2load", spec.label(), round, scenario, e.getKey(), e.getValue());
    }
  }

  /** Server RSS holding idle connections, after a full GC on both sides of the count. */
  void rssSection() throws Exception {
    int n = idleConnections;
    for (int round = 1; round <= Math.max(1, rounds - 1); round++) {
      for (ServerSpec spec : List.of(STRAND_ASYNC, GRPC_DIRECT)) {
        log("rss round " + round + ": " + spec.label() + " with " + n + " idle connections");
        try (Server s = startServer(mainJdk, spec, List.of())) {
          Thread.sleep(500);
          gc(s);
          long before = ProcStat.rssKib(s.pid());
          try (Proc client =
              Proc.start(
                  "idle-client",
                  clientCommand(
                      mainJdk,
                      "strand",
                      List.of(
                          "--target=127.0.0.1:" + s.port(),
                          "--scenarios=idle-conns",
                          "--idle_connections=" + n,
                          "--hold=120"),
                      List.of("-Xss256k")),
                  nextLog("idle-client"))) {
            String ready = client.awaitLine("IDLE_READY", Duration.ofSeconds(180));
            String lost = keyValues(ready).getOrDefault("failed_calls", "0");
            if (!lost.equals("0")) {
              runFailures.add(
                  "rss round "
                      + round
                      + " "
                      + spec.label()
                      + ": "
                      + lost
                      + " of "
                      + n
                      + " first calls on fresh Strand channels were lost (connections still counted)");
            }
            Thread.sleep(1000);
            gc(s);
            long after = ProcStat.rssKib(s.pid());
            client.closeStdin();
            client.finish(Duration.ofSeconds(60));
            results.add("rss", spec.label(), round, "idle-" + n, "rss_mib_before", before / 1024.0);
            results.add("rss", spec.label(), round, "idle-" + n, "rss_mib", after / 1024.0);
            results.add(
                "rss",
                spec.label(),
                round,
                "idle-" + n,
                "kib_per_conn",
                (after - before) / (double) n);
          }
        }
      }
    }
  }

  /** Blocking handlers (virtual threads on 21+, a pool on 17) against async ones, per JDK. */
  void flavoursSection() throws Exception {
    List<ServerSpec> specs = List.of(STRAND_ASYNC, STRAND_BLOCKING, GRPC_DIRECT, GRPC_DEFAULT);
    for (Jdk jdk : jdks.values()) {
      List<Server> servers = new ArrayList<>();
      try (ClientSession cs = session(jdk, "strand");
          ClientSession cg = session(jdk, "grpc-java")) {
        for (ServerSpec spec : specs) {
          Server s = startServer(jdk, spec, List.of());
          servers.add(s);
          log("flavours: JDK " + jdk.feature() + " JIT warmup of " + spec.label());
          // Each stack's own client, on the same JDK as the server.
          warm(spec.impl().equals("strand") ? cs : cg, s, jitWarmup * 0.75);
        }
        for (int round = 1; round <= flavourRounds; round++) {
          log("flavours JDK " + jdk.feature() + " round " + round + "/" + flavourRounds);
          for (int i = 0; i < specs.size(); i++) {
            ClientSession c = specs.get(i).impl().equals("strand") ? cs : cg;
            measure(
                "flavours-jdk" + jdk.feature(),
                specs.get(i).label(),
                round,
                c,
                servers.get(i),
                FLAVOUR_SCENARIOS,
                Math.min(duration, 2));
          }
        }
      } finally {
        for (Server s : servers) {
          s.close();
        }
      }
    }
  }

  /** The JMH microbenchmarks with the gc profiler, on the main JDK. */
  void jmhSection() throws Exception {
    boolean quick = mode.equals("quick");
    Path csv = out.resolve("jmh.csv");
    List<String> cmd = new ArrayList<>(jvm(mainJdk));
    cmd.addAll(
        List.of(
            "-cp",
            cp,
            "org.openjdk.jmh.Main",
            "Benchmark",
            "-f",
            "1",
            "-wi",
            "2",
            "-w",
            "500ms",
            "-i",
            quick ? "2" : "3",
            "-r",
            quick ? "500ms" : "1s",
            "-to",
            "60s",
            "-prof",
            "gc",
            "-rf",
            "csv",
            "-rff",
            csv.toString()));
    log(
        "jmh: "
            + (quick ? "2 x 0.5 s" : "3 x 1 s")
            + " iterations after 2 x 0.5 s warmup, -prof gc");
    try (Proc jmh =
        Proc.start("jmh", cmd, nextLog("jmh"))
            .dumpThreadsOnTimeout(mainJdk.bin().resolve("jcmd"))) {
      jmh.finish(Duration.ofMinutes(15));
      if (jmh.exitCode() != 0) {
        throw new IOException("JMH exited with " + jmh.exitCode() + ", see logs");
      }
    }
    Jmh.parse(csv, results);
  }

  // ---- running things ----

  List<String> jvm(Jdk jdk) {
    List<String> cmd = new ArrayList<>(List.of(jdk.java(), "-Xmx1g", "-XX:+UseG1GC"));
    if (jdk.feature() >= 24) {
      // Netty (ours and grpc-java's shaded copy alike) uses sun.misc.Unsafe where allowed.
      cmd.add("--sun-misc-unsafe-memory-access=allow");
    }
    if (jdk.feature() >= 22) {
      cmd.add("--enable-native-access=ALL-UNNAMED");
    }
    return cmd;
  }

  Server startServer(Jdk jdk, ServerSpec spec, List<String> extraJvm) throws Exception {
    return startServer(jdk, spec, extraJvm, List.of());
  }

  Server startServer(Jdk jdk, ServerSpec spec, List<String> extraJvm, List<String> serverArgs)
      throws Exception {
    List<String> cmd = new ArrayList<>(jvm(jdk));
    cmd.addAll(extraJvm);
    Path gcLog = nextLog("gc-" + spec.impl());
    cmd.add(TailEvidence.gcLogFlag(gcLog));
    cmd.addAll(
        List.of(
            "-cp",
            cp,
            "dev.strand.bench.BenchServer",
            "--impl=" + spec.impl(),
            "--handlers=" + spec.handlers(),
            "--port=0",
            "--exit_on_stdin_eof",
            "--max_seconds=1800",
            "--response_size=" + payload));
    cmd.addAll(serverArgs);
    Proc p = Proc.start("server-" + spec.label(), cmd, nextLog("server-" + spec.impl()));
    try {
      String ready = p.awaitLine("READY", Duration.ofSeconds(60));
      Matcher m = Pattern.compile("port=(\\d+)").matcher(ready);
      if (!m.find()) {
        throw new IOException("bad READY line: " + ready);
      }
      return new Server(p, Integer.parseInt(m.group(1)), p.pid(), jdk, gcLog);
    } catch (Exception e) {
      p.close();
      throw e;
    }
  }

  List<String> clientCommand(Jdk jdk, String impl, List<String> args, List<String> extraJvm) {
    List<String> cmd = new ArrayList<>(jvm(jdk));
    cmd.addAll(extraJvm);
    cmd.addAll(
        List.of(
            "-cp",
            cp,
            "dev.strand.bench.LoadClient",
            "--impl=" + impl,
            "--payload=" + payload,
            "--clk_tck=" + ProcStat.clockTicksPerSecond));
    cmd.addAll(args);
    return cmd;
  }

  /** A long-lived load client JVM (LoadClient --commands), so its JIT stays warm across runs. */
  final class ClientSession implements AutoCloseable {
    final Proc proc;
    final String impl;
    final Jdk jdk;

    ClientSession(Jdk jdk, String impl, List<String> extraJvm) throws Exception {
      this.jdk = jdk;
      this.impl = impl;
      this.proc =
          Proc.start(
                  "client-" + impl + "-jdk" + jdk.feature(),
                  clientCommand(jdk, impl, List.of("--commands"), extraJvm),
                  nextLog("client-" + impl))
              .dumpThreadsOnTimeout(jdk.bin().resolve("jcmd"));
      try {
        proc.awaitLine("READY", Duration.ofSeconds(60));
      } catch (Exception e) {
        proc.close();
        throw e;
      }
    }

    /** Runs scenarios against a server; returns scenario -> its RESULT line's key/values. */
    Map<String, Map<String, String>> run(Server s, List<String> scenarios, double w, double d)
        throws Exception {
      return run(s, scenarios, w, d, "");
    }

    /** As above, with more LoadClient flags ({@code extra} starts with a space). */
    Map<String, Map<String, String>> run(
        Server s, List<String> scenarios, double w, double d, String extra) throws Exception {
      proc.send(
          "--target=127.0.0.1:"
              + s.port()
              + " --server_pid="
              + s.pid()
              + " --scenarios="
              + String.join(",", scenarios)
              + " --warmup="
              + w
              + " --first_warmup="
              + w
              + " --duration="
              + d
              + extra);
      List<String> lines =
          proc.readUntil("DONE", Duration.ofSeconds((long) (60 + scenarios.size() * (w + d + 15))));
      Map<String, Map<String, String>> byScenario = new LinkedHashMap<>();
      for (String line : lines) {
        if (line.startsWith("RESULT ")) {
          Map<String, String> kv = keyValues(line.substring(7));
          byScenario.put(kv.get("scenario"), kv);
        } else if (line.startsWith("FAILED")) {
          throw new IOException(
              impl
                  + " client against "
                  + s.proc().name
                  + ": "
                  + line
                  + " (see "
                  + out.resolve("logs")
                  + ")");
        }
      }
      return byScenario;
    }

    @Override
    public void close() {
      try {
        proc.send("quit");
        proc.closeStdin();
        proc.finish(Duration.ofSeconds(20));
      } catch (Exception e) {
        proc.close();
      }
    }
  }

  ClientSession session(Jdk jdk, String impl) throws Exception {
    return new ClientSession(jdk, impl, List.of());
  }

  /** Drives a pair through every code path for a while, so C2 has compiled what is measured. */
  void warm(ClientSession c, Server s, double seconds) throws Exception {
    List<String> mix =
        List.of("unary-64x4", "unary-latency", "stream-pingpong", "server-stream-1k");
    for (int attempt = 1; attempt <= 2; attempt++) {
      try {
        c.run(s, mix, 0, Math.max(0.1, seconds / mix.size()));
        return;
      } catch (IOException e) {
        // Listed in the report either way; a second try keeps the JIT warmup meaningful.
        runFailures.add(
            "JIT warmup "
                + c.impl
                + " -> "
                + s.proc().name
                + " (attempt "
                + attempt
                + "): "
                + e.getMessage());
        log("RUN FAILED (warmup, attempt " + attempt + "): " + e.getMessage());
      }
    }
  }

  /**
   * One measurement. A failed run is logged and listed in the report, and the section goes on: one
   * broken call should not throw away fifteen minutes of numbers.
   */
  void measure(
      String section,
      String label,
      int round,
      ClientSession c,
      Server s,
      List<String> scenarios,
      double d) {
    measure(section, label, round, c, s, scenarios, d, "");
  }

  /** As above, with more LoadClient flags. */
  void measure(
      String section,
      String label,
      int round,
      ClientSession c,
      Server s,
      List<String> scenarios,
      double d,
      String extra) {
    try {
      record(section, label, round, c.run(s, scenarios, warmup, d, extra));
    } catch (Exception e) {
      runFailures.add(
          section + " round " + round + " " + label + " " + scenarios + ": " + e.getMessage());
      log("RUN FAILED: " + section + " " + label + " " + scenarios + ": " + e.getMessage());
    }
  }

  void record(String section, String label, int round, Map<String, Map<String, String>> r) {
    for (Map.Entry<String, Map<String, String>> e : r.entrySet()) {
      for (String metric :
          List.of(
              "rate",
              "p50_us",
              "p99_us",
              "server_cpu_us_per_op",
              "client_cpu_us_per_op",
              "mb_per_s")) {
        String v = e.getValue().get(metric);
        if (v != null) {
          results.add(section, label, round, e.getKey(), metric, Double.parseDouble(v));
        }
      }
    }
  }

  static Map<String, String> keyValues(String s) {
    Map<String, String> kv = new LinkedHashMap<>();
    for (String part : s.trim().split("\\s+")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        kv.put(part.substring(0, eq), part.substring(eq + 1));
      }
    }
    return kv;
  }

  /** A gRPC-framed SimpleRequest (100 bytes, asking for 100 back): h2load's request body. */
  Path writeRequestBody() throws IOException {
    byte[] framed = GrpcFrames.frame(Payloads.request(payload, payload).toByteArray());
    Path body = out.resolve("h2load-request.bin");
    Files.write(body, framed);
    return body;
  }

  /** h2load's connections; the fixed-rate mode's --rps is per connection. */
  static final int H2LOAD_CONNECTIONS = 4;

  /**
   * Warms up with h2load, then measures at saturation: req/s, latency percentiles and the server's
   * CPU per request.
   */
  Map<String, Double> runH2load(Server s, Path body, int warmSeconds, int seconds)
      throws Exception {
    return runH2load(s, body, warmSeconds, seconds, 0);
  }

  /** As above; {@code rps > 0} offers that many requests per second in all instead. */
  Map<String, Double> runH2load(Server s, Path body, int warmSeconds, int seconds, double rps)
      throws Exception {
    if (warmSeconds > 0) {
      runH2loadOnce(s, body, warmSeconds);
    }
    long cpu0 = ProcStat.cpuMicros(s.pid());
    long wait0 = TailEvidence.runQueueWaitNanos(s.pid());
    long t0 = System.nanoTime();
    Path latencies = out.resolve("h2load-latencies.tsv");
    Map<String, Double> r = runH2loadOnce(s, body, seconds, rps, latencies);
    long cpu = ProcStat.cpuMicros(s.pid()) - cpu0;
    long waited = TailEvidence.runQueueWaitNanos(s.pid()) - wait0;
    double elapsed = (System.nanoTime() - t0) / 1e9;
    r.put("server_cpu_us_per_op", cpu / Math.max(1, r.get("done")));
    if (wait0 >= 0) {
      r.put("runq_wait_ms_per_s", waited / 1e6 / elapsed);
    }
    try {
      r.putAll(LatencyLog.percentiles(latencies));
      r.putAll(TailEvidence.analyse(latencies, s.gcLog()));
    } finally {
      Files.deleteIfExists(latencies); // a million rows a run: keep the numbers, not the file
    }
    return r;
  }

  Map<String, Double> runH2loadOnce(Server s, Path body, int seconds) throws Exception {
    return runH2loadOnce(s, body, seconds, 0, null);
  }

  Map<String, Double> runH2loadOnce(Server s, Path body, int seconds, double rps, Path latencyLog)
      throws Exception {
    H2load run =
        new H2load(
                h2load, "http://127.0.0.1:" + s.port() + "/grpc.testing.BenchmarkService/UnaryCall")
            .connections(H2LOAD_CONNECTIONS)
            .streams(32)
            .seconds(seconds)
            .body(body)
            .header("content-type: application/grpc")
            .header("te: trailers");
    if (rps > 0) {
      // h2load paces each connection on its own: the total is split evenly over them.
      run.rpsPerConnection(Math.max(1, Math.round(rps / H2LOAD_CONNECTIONS)));
    }
    if (latencyLog != null) {
      run.latencyLog(latencyLog);
    }
    return run.run(nextLog("h2load"), s.proc().name);
  }

  /** grpc-benchmarks' AsyncClient: QPS and latency percentiles from its own report. */
  Map<String, Double> runAsyncClient(
      Server s, int channels, int outstanding, int warmSeconds, int seconds) throws Exception {
    List<String> cmd = new ArrayList<>(jvm(mainJdk));
    cmd.addAll(
        List.of(
            "-cp",
            grpcBenchmarksCp,
            "io.grpc.benchmarks.qps.AsyncClient",
            "--address=127.0.0.1:" + s.port(),
            "--channels=" + channels,
            "--outstanding_rpcs=" + outstanding,
            "--client_payload=" + payload,
            "--server_payload=" + payload,
            "--warmup_duration=" + warmSeconds,
            "--duration=" + seconds,
            "--directexecutor",
            "--transport=netty_epoll"));
    try (Proc p = Proc.start("asyncclient", cmd, nextLog("asyncclient"))) {
      List<String> lines = p.finish(Duration.ofSeconds(warmSeconds + seconds + 60L));
      Map<String, Double> r = new LinkedHashMap<>();
      for (String line : lines) {
        if (line.startsWith("QPS:")) {
          r.put("rate", Double.parseDouble(line.substring(4).trim()));
        } else if (line.startsWith("50%ile Latency (in micros):")) {
          r.put("p50_us", Double.parseDouble(line.substring(line.indexOf(':') + 1).trim()));
        } else if (line.startsWith("99%ile Latency (in micros):")) {
          r.put("p99_us", Double.parseDouble(line.substring(line.indexOf(':') + 1).trim()));
        }
      }
      if (p.exitCode() != 0 || !r.containsKey("rate") || r.get("rate") <= 0) {
        throw new IOException(
            "AsyncClient against "
                + s.proc().name
                + " failed (exit "
                + p.exitCode()
                + "): "
                + lines);
      }
      return r;
    }
  }

  /** A full GC in the server (jcmd, from the server's own JDK) so RSS compares like with like. */
  void gc(Server s) throws Exception {
    Path jcmd = s.jdk().bin().resolve("jcmd");
    try (Proc p =
        Proc.start(
            "jcmd", List.of(jcmd.toString(), Long.toString(s.pid()), "GC.run"), nextLog("jcmd"))) {
      p.finish(Duration.ofSeconds(30));
    }
    Thread.sleep(300);
  }

  synchronized Path nextLog(String what) {
    return out.resolve("logs").resolve(String.format(Locale.ROOT, "%03d-%s.log", ++logSeq, what));
  }

  void log(String message) {
    System.err.printf(
        Locale.ROOT,
        "[bench %s] %s%n",
        java.time.LocalTime.now(java.time.ZoneId.systemDefault())
            .format(java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss")),
        message);
  }

  public static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "?";
    }
  }

  static String javaVersion(String java) {
    try {
      Process p = new ProcessBuilder(java, "-version").redirectErrorStream(true).start();
      String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor();
      String[] lines = text.split("\n");
      return lines.length > 1 ? lines[1].trim() : text.trim();
    } catch (Exception e) {
      return "?";
    }
  }
}
