package dev.strand.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a server's slow requests come from, measured rather than guessed: its GC pauses (from the
 * JVM's own {@code -Xlog:gc} file, lined up against h2load's per-request log) and the time its
 * threads spent runnable but waiting for a CPU (the kernel's {@code /proc/PID/task/TID/schedstat}).
 * A slow request that overlaps a GC pause was held by the collector; the run-queue wait is the time
 * the scheduler, not the server's code, held it.
 */
final class TailEvidence {
  /**
   * "[1765147247740ms] GC(65) Pause Young (Normal) (G1 Evacuation Pause) 232M->7M(380M) 1.167ms"
   */
  private static final Pattern PAUSE =
      Pattern.compile("^\\[(\\d+)ms\\] GC\\(\\d+\\) Pause .* ([\\d.]+)ms$");

  /** A pause's end is logged to the millisecond: a request this close to one counts as in it. */
  private static final long SLACK_MICROS = 1_000;

  private TailEvidence() {}

  /** The JVM flag that makes {@link #analyse} possible: GC pauses, stamped in epoch millis. */
  static String gcLogFlag(Path file) {
    return "-Xlog:gc:file=" + file + ":timemillis";
  }

  /** Runnable-but-waiting nanoseconds summed over the process's threads; -1 if unreadable. */
  static long runQueueWaitNanos(long pid) {
    long sum = 0;
    try (DirectoryStream<Path> tasks =
        Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
      for (Path task : tasks) {
        try {
          // "run_ns wait_ns timeslices"
          String[] f = Files.readString(task.resolve("schedstat")).trim().split(" ");
          sum += Long.parseLong(f[1]);
        } catch (IOException | RuntimeException e) {
          // a thread that ended between the listing and the read
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return sum;
  }

  /**
   * For one h2load run: the GC pauses inside it (count, ms per second, longest) and the share of
   * requests at or above the run's p99 that overlap one. Keys as in raw.tsv.
   */
  static Map<String, Double> analyse(Path latencyLog, Path gcLog) throws IOException {
    LatencyLog.Requests requests = LatencyLog.read(latencyLog);
    long[] starts = requests.starts();
    long[] durations = requests.micros();
    int n = starts.length;
    long[] ends = new long[n];
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    for (int i = 0; i < n; i++) {
      ends[i] = starts[i] + durations[i];
      first = Math.min(first, starts[i]);
      last = Math.max(last, ends[i]);
    }
    long[] sorted = durations.clone();
    Arrays.sort(sorted);
    long p99 = LatencyLog.rank(sorted, 0.99);
    List<long[]> pauses = pauses(gcLog, first, last);
    long pausedMicros = 0;
    long longest = 0;
    for (long[] p : pauses) {
      pausedMicros += p[1] - p[0];
      longest = Math.max(longest, p[1] - p[0]);
    }
    long slow = 0;
    long slowInPause = 0;
    for (int i = 0; i < n; i++) {
      if (durations[i] >= p99) {
        slow++;
        if (overlapsAny(pauses, starts[i], ends[i])) {
          slowInPause++;
        }
      }
    }
    double seconds = Math.max(1e-6, (last - first) / 1e6);
    Map<String, Double> r = new LinkedHashMap<>();
    r.put("gc_pauses", (double) pauses.size());
    r.put("gc_pause_ms_per_s", pausedMicros / 1e3 / seconds);
    r.put("gc_longest_pause_us", (double) longest);
    r.put("slow_in_gc_pause_pct", slow == 0 ? 0 : 100.0 * slowInPause / slow);
    return r;
  }

  private static boolean overlapsAny(List<long[]> pauses, long start, long end) {
    for (long[] p : pauses) {
      if (p[0] - SLACK_MICROS <= end && start <= p[1] + SLACK_MICROS) {
        return true;
      }
    }
    return false;
  }

  /** The pauses that ended within [from, to] (µs since the epoch), each as {start, end} in µs. */
  private static List<long[]> pauses(Path gcLog, long from, long to) throws IOException {
    List<long[]> pauses = new ArrayList<>();
    if (!Files.exists(gcLog)) {
      return pauses;
    }
    for (String line : Files.readAllLines(gcLog, StandardCharsets.UTF_8)) {
      Matcher m = PAUSE.matcher(line.trim());
      if (m.find()) {
        long end = Long.parseLong(m.group(1)) * 1000;
        long length = Math.round(Double.parseDouble(m.group(2)) * 1000);
        if (end >= from && end - length <= to) {
          pauses.add(new long[] {end - length, end});
        }
      }
    }
    return pauses;
  }
}
