package dev.strand.bench.rest;

import dev.strand.bench.Args;
import dev.strand.bench.H2load;
import dev.strand.bench.LatencyLog;
import dev.strand.bench.ProcStat;
import dev.strand.bench.Results;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The REST-vs-gRPC benchmark (docs/REST-VS-GRPC.md), run by {@code bench/run-rest-vs-grpc.sh}:
 *
 * <pre>
 *   --mode=smoke|quick|full   smoke: every path once, fails only if one is broken
 *   --java=PATH --jvm_flags="..." --cp=CP   the servers' JVM, the same for all three
 *   --h2load=PATH --out=DIR --clk_tck=N
 *   --rounds=N --duration=S --warmup=S --jit_warmup=S --bytes_calls=N --updates=N
 *   --profile                 Strand's server records strand.jfr (JFR, settings=profile)
 * </pre>
 *
 * Checks every target once, counts bytes per call through a relay, then measures throughput,
 * latency and server CPU in rounds (targets interleaved within each round), then streaming against
 * polling; writes results.md, raw.tsv and the PNG charts to {@code --out}.
 */
public final class RestVsGrpc {
  private final Args args;
  private final String mode;
  private final String h2load;
  private final Path out;
  private final Path work;
  private final Results results;
  private final CatalogData data = new CatalogData();
  private final Map<Target, Map<Scenario, Call>> calls = new HashMap<>();
  private RestServers servers;
  private int logSeq;

  private RestVsGrpc(Args args) throws IOException {
    this.args = args;
    mode = args.get("mode", "full");
    h2load = args.get("h2load", "h2load");
    out = Path.of(args.get("out", "bench/target/rest-vs-grpc"));
    work = out.resolve("work");
    Files.createDirectories(work);
    results = new Results(out.resolve("raw.tsv"));
  }

  public static void main(String[] argv) throws Exception {
    Args args = new Args(argv);
    ProcStat.clockTicksPerSecond = args.getLong("clk_tck", 100);
    new RestVsGrpc(args).run();
  }

  private int modeInt(String flag, int smoke, int quick, int full) {
    return args.getInt(
        flag,
        switch (mode) {
          case "smoke" -> smoke;
          case "quick" -> quick;
          default -> full;
        });
  }

  private void run() throws Exception {
    String java = args.get("java", "java");
    List<String> flags =
        Arrays.stream(args.get("jvm_flags", "").split(" ")).filter(s -> !s.isBlank()).toList();
    log("starting strand, armeria and javalin servers");
    try (RestServers s =
        new RestServers(
            java,
            flags,
            args.get("cp", System.getProperty("java.class.path")),
            out.resolve("logs"),
            args.getBool("profile") ? out.resolve("strand.jfr") : null)) {
      servers = s;
      prepareAndCheck();
      bytesPerCall();
      load();
      streamingVsPolling();
    }
    String md = RestReport.render(results, mode, args.get("java_version", ""));
    Files.writeString(out.resolve("results.md"), md);
    Charts.writeAll(results, out);
    System.out.println(md);
  }

  /** Writes every request body and checks every target once: nothing is measured broken. */
  private void prepareAndCheck() throws Exception {
    Map<Scenario, byte[]> strandJson = new EnumMap<>(Scenario.class);
    for (Target t : Target.ALL) {
      Map<Scenario, Call> byScenario = new EnumMap<>(Scenario.class);
      for (Scenario sc : Scenario.values()) {
        Call call = Call.of(t.protocol(), sc, data, work);
        byScenario.put(sc, call);
        String what = t.label() + " " + sc.label;
        byte[] body =
            AnswerCheck.check(call, servers.port(t.server()), work, nextLog("curl"), what);
        if (t.json()) {
          if (t.equals(Target.STRAND_REST)) {
            strandJson.put(sc, body);
          } else if (strandJson.containsKey(sc)) {
            AnswerCheck.sameJson(strandJson.get(sc), body, what);
          }
        }
      }
      calls.put(t, byScenario);
    }
    for (Call stream : List.of(Call.grpcWatch(3, work), Call.ndjsonWatch(3))) {
      AnswerCheck.check(stream, servers.port("strand"), work, nextLog("curl"), stream.path());
    }
    log("every target answered (HTTP 200, grpc-status 0, the same JSON)");
  }

  /** Bytes both ways per call, headers and connection setup included, through the relay. */
  private void bytesPerCall() throws Exception {
    int n = modeInt("bytes_calls", 128, 3200, 6400);
    for (Target t : Target.ALL) {
      for (Scenario sc : Scenario.values()) {
        Protocol p = t.protocol();
        try (ByteCountingRelay relay = new ByteCountingRelay(servers.port(t.server()))) {
          calls
              .get(t)
              .get(sc)
              .h2load(h2load, relay.port())
              .connections(p.connections())
              .streams(p.streams())
              .requests(n)
              .run(nextLog("h2load-bytes"), t.label());
          relay.awaitIdle(5000);
          results.add(
              "bytes", t.label(), 1, sc.label, "up_per_call", relay.clientToServer() / (double) n);
          results.add(
              "bytes",
              t.label(),
              1,
              sc.label,
              "down_per_call",
              relay.serverToClient() / (double) n);
        }
      }
    }
    log("bytes per call counted (" + n + " calls per target)");
  }

  /** Throughput, latency and server CPU: a JIT warmup pass, then rounds of every target. */
  private void load() throws Exception {
    int jit = modeInt("jit_warmup", 0, 1, 3);
    int warm = modeInt("warmup", 0, 1, 1);
    int seconds = modeInt("duration", 0, 2, 3);
    int rounds = modeInt("rounds", 1, 1, 3);
    if (jit > 0) {
      log("JIT warmup: " + jit + " s per target and scenario");
      for (Target t : Target.ALL) {
        for (Scenario sc : Scenario.values()) {
          loadRun(t, sc, jit, null);
        }
      }
    }
    for (int round = 1; round <= rounds; round++) {
      log("load round " + round + "/" + rounds);
      for (Scenario sc : Scenario.values()) {
        for (Target t : Target.ALL) {
          if (warm > 0) {
            loadRun(t, sc, warm, null);
          }
          measure(t, sc, seconds, round);
        }
      }
    }
  }

  private void measure(Target t, Scenario sc, int seconds, int round) throws Exception {
    long pid = servers.pid(t.server());
    Path latencies = work.resolve("latencies.tsv");
    long cpu0 = ProcStat.cpuMicros(pid);
    Map<String, Double> r = loadRun(t, sc, seconds, latencies);
    long cpu = ProcStat.cpuMicros(pid) - cpu0;
    r.put("server_cpu_us_per_call", cpu / Math.max(1, r.get("done")));
    try {
      r.putAll(LatencyLog.percentiles(latencies));
    } finally {
      Files.deleteIfExists(latencies);
    }
    for (Map.Entry<String, Double> e : r.entrySet()) {
      results.add("load", t.label(), round, sc.label, e.getKey(), e.getValue());
    }
  }

  /** h2load at saturation for {@code seconds} (smoke: a fixed 256 calls instead). */
  private Map<String, Double> loadRun(Target t, Scenario sc, int seconds, Path latencies)
      throws Exception {
    Protocol p = t.protocol();
    H2load run =
        calls
            .get(t)
            .get(sc)
            .h2load(h2load, servers.port(t.server()))
            .connections(p.connections())
            .streams(p.streams());
    if (seconds > 0) {
      run.seconds(seconds);
    } else {
      run.requests(256);
    }
    if (latencies != null) {
      run.latencyLog(latencies);
    }
    return run.run(nextLog("h2load"), t.label());
  }

  /**
   * The same N updates of one item: one server stream (gRPC, and transcoded NDJSON over HTTP/1.1)
   * against N GET polls on one connection (gRPC unary, REST on Strand and on Javalin). Bytes
   * through the relay, time and server CPU from a direct run.
   */
  private void streamingVsPolling() throws Exception {
    int updates = modeInt("updates", 20, 2000, 5000);
    Map<String, Call> streams =
        Map.of(
            "strand/grpc-stream", Call.grpcWatch(updates, work),
            "strand/ndjson-stream-h1", Call.ndjsonWatch(updates));
    Map<String, Target> polls =
        Map.of(
            "strand/grpc-poll", new Target("strand", Protocol.GRPC),
            "strand/rest-poll-h1", Target.STRAND_REST,
            "javalin/rest-poll-h1", Target.JAVALIN_REST);
    for (String label : StreamingReport.LABELS) {
      String server = label.substring(0, label.indexOf('/'));
      boolean stream = streams.containsKey(label);
      Call call = stream ? streams.get(label) : calls.get(polls.get(label)).get(Scenario.SMALL);
      long requests = stream ? 1 : updates;
      try (ByteCountingRelay relay = new ByteCountingRelay(servers.port(server))) {
        call.h2load(h2load, relay.port()).requests(requests).run(nextLog("h2load-stream"), label);
        relay.awaitIdle(5000);
        results.add(
            "stream",
            label,
            1,
            "updates",
            "up_per_update",
            relay.clientToServer() / (double) updates);
        results.add(
            "stream",
            label,
            1,
            "updates",
            "down_per_update",
            relay.serverToClient() / (double) updates);
      }
      long pid = servers.pid(server);
      long cpu0 = ProcStat.cpuMicros(pid);
      Map<String, Double> r =
          call.h2load(h2load, servers.port(server))
              .requests(requests)
              .run(nextLog("h2load-stream"), label);
      long cpu = ProcStat.cpuMicros(pid) - cpu0;
      results.add("stream", label, 1, "updates", "us_per_update", r.get("elapsed_us") / updates);
      results.add(
          "stream", label, 1, "updates", "server_cpu_us_per_update", cpu / (double) updates);
    }
    log("streaming vs polling: " + updates + " updates each");
  }

  private Path nextLog(String what) {
    return out.resolve("logs").resolve(String.format(Locale.ROOT, "%03d-%s.log", ++logSeq, what));
  }

  private static void log(String message) {
    System.err.println("[rest-vs-grpc] " + message);
  }
}
