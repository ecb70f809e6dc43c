package dev.strand.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the time and the allocations go: JFR (settings=profile) on each server under h2load and on
 * each client under 64 outstanding unary calls, summarised as the hottest methods (self time), the
 * hottest Strand / grpc-java frames (the first framework frame of each sample) and the top
 * allocation sites. The .jfr files stay in the output folder for {@code jfr print} or JDK Mission
 * Control.
 */
final class Profiles {
  /** grpc-java's Netty copy lives under io.grpc: it is Netty, not grpc-java's own code. */
  private static final String SHADED_NETTY = "io.grpc.netty.shaded.io.netty.";

  private final SideBySide h;

  Profiles(SideBySide h) {
    this.h = h;
  }

  void run() throws Exception {
    if (h.h2load.isEmpty()) {
      throw new IOException("h2load is not installed");
    }
    Path body = h.writeRequestBody();
    int seconds = Math.max(3, (int) Math.round(h.duration + 2));
    StringBuilder md =
        new StringBuilder(
            "\n### Profiles (JFR, settings=profile)\n\n"
                + "Recorded after the JIT warmup, for "
                + seconds
                + " s of load, Java samples every 2 ms.\n\n");
    for (SideBySide.ServerSpec spec : List.of(SideBySide.STRAND_ASYNC, SideBySide.GRPC_DIRECT)) {
      String name = "server-" + spec.label().replace('/', '-');
      Path jfr = h.out.resolve(name + ".jfr").toAbsolutePath();
      h.log("profile: " + spec.label() + " under h2load 4x32");
      try (SideBySide.Server s = h.startServer(h.mainJdk, spec, List.of())) {
        h.runH2loadOnce(s, body, (int) Math.max(1, Math.round(h.jitWarmup)));
        startJfr(s.pid());
        h.runH2loadOnce(s, body, seconds);
        jfr(s.pid(), "JFR.stop", "name=bench", "filename=" + jfr);
      }
      md.append(summarize(name + " (h2load 4x32 unary)", jfr, framework(spec.impl())));
    }
    for (String client : List.of("strand", "grpc-java")) {
      String name = "client-" + client;
      Path jfr = h.out.resolve(name + ".jfr").toAbsolutePath();
      h.log("profile: " + client + " client, 64 x 1 unary, against its own server");
      SideBySide.ServerSpec spec =
          client.equals("strand") ? SideBySide.STRAND_ASYNC : SideBySide.GRPC_DIRECT;
      try (SideBySide.Server s = h.startServer(h.mainJdk, spec, List.of());
          SideBySide.ClientSession c = h.session(h.mainJdk, client)) {
        h.warm(c, s, h.jitWarmup);
        startJfr(c.proc.pid());
        c.run(s, List.of("unary-64x1"), 0, seconds);
        jfr(c.proc.pid(), "JFR.stop", "name=bench", "filename=" + jfr);
      }
      md.append(summarize(name + " (64 x 1 unary)", jfr, framework(client)));
    }
    Files.writeString(h.out.resolve("profiles.md"), md, StandardCharsets.UTF_8);
    h.report.addExtra(md.toString());
  }

  /** settings=profile, sampling every 2 ms rather than 10 for more samples in a short window. */
  private void startJfr(long pid) throws Exception {
    try {
      jfr(pid, "JFR.start", "name=bench", "settings=profile", "jdk.ExecutionSample#period=2ms");
    } catch (IOException e) {
      jfr(pid, "JFR.start", "name=bench", "settings=profile");
    }
  }

  private void jfr(long pid, String... command) throws Exception {
    List<String> cmd =
        new ArrayList<>(List.of(h.mainJdk.bin().resolve("jcmd").toString(), Long.toString(pid)));
    cmd.addAll(List.of(command));
    try (Proc p = Proc.start("jcmd", cmd, h.nextLog("jcmd"))) {
      p.finish(Duration.ofSeconds(60));
      if (p.exitCode() != 0) {
        throw new IOException("jcmd " + String.join(" ", command) + " failed");
      }
    }
  }

  private static String framework(String impl) {
    return impl.equals("strand") ? "dev.strand." : "io.grpc.";
  }

  /** Markdown: the top self-time methods, top framework frames and top allocation sites. */
  static String summarize(String title, Path jfr, String frameworkPrefix) throws IOException {
    Map<String, Integer> self = new HashMap<>();
    Map<String, Integer> firstFramework = new HashMap<>();
    Map<String, Integer> packages = new HashMap<>();
    Map<String, Long> allocations = new HashMap<>();
    int samples = 0;
    long allocated = 0;
    try (RecordingFile file = new RecordingFile(jfr)) {
      while (file.hasMoreEvents()) {
        RecordedEvent e = file.readEvent();
        String type = e.getEventType().getName();
        RecordedStackTrace st = e.getStackTrace();
        if (st == null || st.getFrames().isEmpty()) {
          continue;
        }
        List<RecordedFrame> frames = st.getFrames();
        if (type.equals("jdk.ExecutionSample")) {
          samples++;
          String top = method(frames.get(0));
          self.merge(top, 1, Integer::sum);
          packages.merge(bucket(frames.get(0)), 1, Integer::sum);
          for (RecordedFrame f : frames) {
            String cls = f.getMethod() == null ? "" : f.getMethod().getType().getName();
            if (cls.startsWith(frameworkPrefix) && !cls.startsWith(SHADED_NETTY)) {
              firstFramework.merge(method(f), 1, Integer::sum);
              break;
            }
          }
        } else if (type.equals("jdk.ObjectAllocationSample")) {
          long weight = e.getLong("weight");
          allocated += weight;
          String site = null;
          for (RecordedFrame f : frames) {
            String cls = f.getMethod() == null ? "" : f.getMethod().getType().getName();
            if (!cls.startsWith("java.") && !cls.startsWith("jdk.") && !cls.startsWith("sun.")) {
              site = method(f) + ":" + f.getLineNumber();
              break;
            }
          }
          String objectClass =
              e.getClass("objectClass") == null ? "?" : e.getClass("objectClass").getName();
          allocations.merge(
              (site == null ? method(frames.get(0)) : site) + " -> " + objectClass,
              weight,
              Long::sum);
        }
      }
    }
    final int n = samples;
    StringBuilder md = new StringBuilder();
    md.append("#### ")
        .append(title)
        .append("\n\n")
        .append(samples)
        .append(" execution samples; `")
        .append(jfr.getFileName())
        .append("`.\n\n");
    md.append("Where the samples' top frames are: ")
        .append(shares(packages, samples))
        .append(".\n\n");
    md.append("| hottest methods (self) | share |\n|---|---:|\n");
    top(self, 12)
        .forEach(
            e ->
                md.append("| `")
                    .append(e.getKey())
                    .append("` | ")
                    .append(pct(e.getValue(), n))
                    .append(" |\n"));
    md.append("\n| first ")
        .append(frameworkPrefix)
        .append("* frame of each sample | share |\n|---|---:|\n");
    top(firstFramework, 12)
        .forEach(
            e ->
                md.append("| `")
                    .append(e.getKey())
                    .append("` | ")
                    .append(pct(e.getValue(), n))
                    .append(" |\n"));
    if (allocated > 0) {
      md.append(
          "\n| top allocation sites (first non-JDK frame -> class) | share of sampled bytes |\n|---|---:|\n");
      long total = allocated;
      top(allocations, 10)
          .forEach(
              e ->
                  md.append("| `")
                      .append(e.getKey())
                      .append("` | ")
                      .append(pct(e.getValue(), total))
                      .append(" |\n"));
    }
    md.append('\n');
    return md.toString();
  }

  private static String method(RecordedFrame f) {
    if (f.getMethod() == null) {
      return "?";
    }
    String cls = f.getMethod().getType().getName();
    return cls.substring(cls.lastIndexOf('.') + 1) + "." + f.getMethod().getName();
  }

  private static String bucket(RecordedFrame f) {
    String cls = f.getMethod() == null ? "?" : f.getMethod().getType().getName();
    for (String p :
        new String[] {
          "dev.strand.",
          SHADED_NETTY,
          "io.grpc.",
          "io.netty.",
          "com.google.protobuf.",
          "java.",
          "jdk.",
          "sun."
        }) {
      if (cls.startsWith(p)) {
        return p.equals(SHADED_NETTY) ? "netty (grpc-java's shaded)" : p + "*";
      }
    }
    return "other";
  }

  private static <V extends Comparable<V>> List<Map.Entry<String, V>> top(Map<String, V> m, int n) {
    List<Map.Entry<String, V>> l = new ArrayList<>(m.entrySet());
    l.sort((a, b) -> b.getValue().compareTo(a.getValue()));
    return l.subList(0, Math.min(n, l.size()));
  }

  private static String shares(Map<String, Integer> m, int total) {
    List<String> parts = new ArrayList<>();
    top(m, 8).forEach(e -> parts.add(e.getKey() + " " + pct(e.getValue(), total)));
    return String.join(", ", parts);
  }

  private static String pct(long part, long total) {
    return String.format(Locale.ROOT, "%.1f%%", 100.0 * part / Math.max(1, total));
  }

  /** {@code java ... Profiles FILE.jfr [dev.strand.]}: the same summary for any recording. */
  public static void main(String[] args) throws IOException {
    System.out.println(
        summarize(args[0], Path.of(args[0]), args.length > 1 ? args[1] : "dev.strand."));
  }
}
