package dev.strand.bench.rest;

import dev.strand.bench.Proc;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The three servers of the benchmark, each a {@link RestBenchServer} JVM of its own on the same JDK
 * and flags, kept up for the whole run (so the JIT stays warm) and stopped at the end.
 */
final class RestServers implements AutoCloseable {
  static final List<String> IMPLS = List.of("strand", "armeria", "javalin");

  record Running(Proc proc, int port) {}

  private final Map<String, Running> running = new LinkedHashMap<>();

  /**
   * Starts every server; {@code java} and {@code jvmFlags} are the same for all. {@code strandJfr},
   * if not null, is where Strand's server records a JFR profile (to see what a missed target
   * costs).
   */
  RestServers(String java, List<String> jvmFlags, String classpath, Path logs, Path strandJfr)
      throws IOException, InterruptedException {
    try {
      for (String impl : IMPLS) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(jvmFlags);
        if (strandJfr != null && impl.equals("strand")) {
          cmd.add(
              "-XX:StartFlightRecording=filename="
                  + strandJfr
                  + ",settings=profile,dumponexit=true");
        }
        cmd.addAll(
            List.of(
                "-cp",
                classpath,
                RestBenchServer.class.getName(),
                "--impl=" + impl,
                "--exit_on_stdin_eof",
                "--max_seconds=1800"));
        Proc p = Proc.start(impl, cmd, logs.resolve("server-" + impl + ".log"));
        running.put(impl, new Running(p, 0));
        String ready = p.awaitLine("READY", Duration.ofSeconds(60));
        Matcher m = Pattern.compile("port=(\\d+)").matcher(ready);
        if (!m.find()) {
          throw new IOException(impl + ": no port in '" + ready + "'");
        }
        running.put(impl, new Running(p, Integer.parseInt(m.group(1))));
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      close();
      throw e;
    }
  }

  int port(String impl) {
    return running.get(impl).port();
  }

  long pid(String impl) {
    return running.get(impl).proc().pid();
  }

  /** Each server by its own pid: stdin closed (it exits), then SIGTERM if it has not. */
  @Override
  public void close() {
    for (Running r : running.values()) {
      r.proc().closeStdin();
      r.proc().close();
    }
  }
}
