package dev.strand.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The CI smoke mode: every server, client, direction and tool once, with tiny durations. It fails
 * only when something is broken (a call fails, a tool errors, nothing completes), never on a
 * timing.
 */
final class Smoke {
  private final SideBySide h;
  private int passed;
  private final List<String> failed = new ArrayList<>();

  Smoke(SideBySide h) {
    this.h = h;
  }

  int run() throws Exception {
    SideBySide.Jdk jdk = h.mainJdk;
    double w = h.warmup;
    double d = h.duration;
    List<String> all = SideBySide.MAIN_SCENARIOS;
    List<String> cross = SideBySide.CROSS_SCENARIOS;
    List<AutoCloseable> running = new ArrayList<>();
    try {
      SideBySide.Server strand = start(running, jdk, SideBySide.STRAND_ASYNC);
      SideBySide.Server grpc = start(running, jdk, SideBySide.GRPC_DIRECT);
      SideBySide.Server blocking = start(running, jdk, SideBySide.STRAND_BLOCKING);
      SideBySide.ClientSession cs = session(running, jdk, "strand");
      SideBySide.ClientSession cg = session(running, jdk, "grpc-java");
      if (strand == null || grpc == null || blocking == null || cs == null || cg == null) {
        return finish();
      }
      check(
          "strand client -> strand server (async handlers), every scenario",
          () -> expect(cs.run(strand, all, w, d), all));
      check(
          "grpc-java client -> grpc-java server, every scenario",
          () -> expect(cg.run(grpc, all, w, d), all));
      check("strand client -> grpc-java server", () -> expect(cs.run(grpc, cross, w, d), cross));
      check("grpc-java client -> strand server", () -> expect(cg.run(strand, cross, w, d), cross));
      check(
          "strand client -> strand server (blocking handlers), every scenario",
          () -> expect(cs.run(blocking, all, w, d), all));
      check(
          "strand client, round_robin over 4 addresses -> one strand server",
          () -> {
            List<String> unary = List.of("unary-64x1", "unary-latency");
            try (SideBySide.Server server = h.startLoadBalancedServer(jdk)) {
              return expect(cs.run(server, unary, w, d, SideBySide.roundRobinFlags(server)), unary);
            }
          });
      check(
          "strand client -> Vert.x gRPC server, unary scenarios, answers checked",
          () -> {
            List<String> unary = List.of("unary-latency", "unary-64x1");
            try (SideBySide.Server vertx = h.startServer(jdk, SideBySide.VERTX, List.of())) {
              return VertxSmoke.answersLikeStrand(vertx.port(), strand.port())
                  + ", "
                  + expect(cs.run(vertx, unary, w, d), unary);
            }
          });
      check(
          "strand client -> strand server, event-loop spin off on both",
          () -> {
            try (SideBySide.Server server =
                    h.startServer(jdk, SideBySide.STRAND_ASYNC, SideBySide.SPIN_OFF);
                SideBySide.ClientSession client =
                    h.new ClientSession(jdk, "strand", SideBySide.SPIN_OFF)) {
              return expect(client.run(server, cross, w, d), cross);
            }
          });
      if (h.grpcBenchmarksCp.isEmpty()) {
        fail(
            "grpc-benchmarks AsyncClient", "no classpath (built with -Dbench.skipGrpcBenchmarks?)");
      } else {
        check(
            "grpc-benchmarks 1.70.0 AsyncClient -> strand server",
            () -> h.runAsyncClient(strand, 1, 8, 1, 1));
      }
      if (h.h2load.isEmpty()) {
        h.log("skipped: h2load is not installed (the full and quick modes install nghttp2-client)");
      } else {
        Path body = h.writeRequestBody();
        check("h2load 4x32 -> strand server", () -> h.runH2load(strand, body, 0, 1));
        check(
            "h2load 4x32 -> Vert.x gRPC server",
            () -> {
              try (SideBySide.Server vertx = h.startServer(jdk, SideBySide.VERTX, List.of())) {
                return h.runH2load(vertx, body, 0, 1);
              }
            });
        check(
            "h2load 4x32 -> bare Netty server",
            () -> {
              try (SideBySide.Server netty = h.startServer(jdk, SideBySide.NETTY, List.of())) {
                return h.runH2load(netty, body, 0, 1);
              }
            });
      }
      check(
          h.idleConnections + " idle connections -> strand server, RSS",
          () -> {
            h.gc(strand);
            try (Proc client =
                Proc.start(
                    "idle-client",
                    h.clientCommand(
                        jdk,
                        "strand",
                        List.of(
                            "--target=127.0.0.1:" + strand.port(),
                            "--scenarios=idle-conns",
                            "--idle_connections=" + h.idleConnections,
                            "--hold=30"),
                        List.of()),
                    h.nextLog("idle-client"))) {
              client.awaitLine("IDLE_READY", Duration.ofSeconds(30));
              long rss = ProcStat.rssKib(strand.pid());
              client.closeStdin();
              client.finish(Duration.ofSeconds(30));
              if (rss <= 0 || client.exitCode() != 0) {
                throw new IllegalStateException(
                    "rss " + rss + ", client exit " + client.exitCode());
              }
              return rss + " KiB";
            }
          });
      for (SideBySide.Jdk other : h.jdks.values()) {
        if (other == jdk) {
          continue;
        }
        check(
            "JDK " + other.feature() + ": strand blocking handlers with strand client",
            () -> {
              try (SideBySide.Server s =
                      h.startServer(other, SideBySide.STRAND_BLOCKING, List.of());
                  SideBySide.ClientSession c = h.session(other, "strand")) {
                List<String> sc = SideBySide.FLAVOUR_SCENARIOS;
                return expect(c.run(s, sc, w, d), sc);
              }
            });
      }
    } finally {
      for (AutoCloseable c : running) {
        c.close();
      }
    }
    check(
        "JMH: every benchmark, one short iteration in-process",
        () -> {
          Path csv = h.out.resolve("jmh-smoke.csv");
          List<String> cmd = new ArrayList<>(h.jvm(jdk));
          cmd.addAll(
              List.of(
                  "-cp",
                  h.cp,
                  "org.openjdk.jmh.Main",
                  "Benchmark",
                  "-f",
                  "0",
                  "-wi",
                  "0",
                  "-i",
                  "1",
                  "-r",
                  "100ms",
                  "-to",
                  "20s",
                  "-rf",
                  "csv",
                  "-rff",
                  csv.toString()));
          try (Proc jmh =
              Proc.start("jmh", cmd, h.nextLog("jmh-smoke"))
                  .dumpThreadsOnTimeout(jdk.bin().resolve("jcmd"))) {
            jmh.finish(Duration.ofSeconds(90));
            if (jmh.exitCode() != 0) {
              throw new IllegalStateException("JMH exited with " + jmh.exitCode());
            }
          }
          List<String> lines = Files.readAllLines(csv);
          if (lines.size() < 2) {
            throw new IllegalStateException("JMH wrote no results");
          }
          Jmh.parse(csv, h.results);
          return (lines.size() - 1) + " results";
        });
    return finish();
  }

  private SideBySide.ClientSession session(
      List<AutoCloseable> running, SideBySide.Jdk jdk, String impl) {
    try {
      SideBySide.ClientSession c = h.session(jdk, impl);
      running.add(c);
      passed++;
      h.log("ok: start " + impl + " client");
      return c;
    } catch (Exception e) {
      fail("start " + impl + " client", e.toString());
      return null;
    }
  }

  private SideBySide.Server start(
      List<AutoCloseable> running, SideBySide.Jdk jdk, SideBySide.ServerSpec spec) {
    try {
      SideBySide.Server s = h.startServer(jdk, spec, List.of());
      running.add(s);
      passed++;
      h.log("ok: start " + spec.label());
      return s;
    } catch (Exception e) {
      fail("start " + spec.label(), e.toString());
      return null;
    }
  }

  private static Object expect(Map<String, Map<String, String>> results, List<String> scenarios) {
    for (String s : scenarios) {
      Map<String, String> r = results.get(s);
      if (r == null) {
        throw new IllegalStateException("no result for " + s);
      }
      if (!"0".equals(r.get("errors")) || Double.parseDouble(r.get("ops")) <= 0) {
        throw new IllegalStateException(s + ": " + r);
      }
    }
    return results.size() + " scenarios";
  }

  private void check(String name, Callable<Object> body) {
    long t0 = System.nanoTime();
    try {
      Object what = body.call();
      passed++;
      h.log(
          String.format(
              java.util.Locale.ROOT,
              "ok: %s (%s, %.1f s)",
              name,
              what,
              (System.nanoTime() - t0) / 1e9));
    } catch (Exception e) {
      fail(name, e.toString());
    }
  }

  private void fail(String name, String why) {
    failed.add(name);
    h.log("FAILED: " + name + ": " + why);
  }

  private int finish() {
    System.out.println("smoke: " + passed + " passed, " + failed.size() + " failed");
    if (!failed.isEmpty()) {
      System.out.println("failed: " + String.join("; ", failed));
      System.out.println("logs: " + h.out.resolve("logs"));
    }
    return failed.size();
  }
}
