package dev.strand.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Latency percentiles from h2load's {@code --log-file}, one row per request: start time (µs since
 * the epoch), HTTP status, µs until the end of the response. h2load itself prints only the min, max
 * and mean, and the tail is what a loaded server's users see first.
 */
public final class LatencyLog {
  private LatencyLog() {}

  /** Every request of a log: when it started (µs since the epoch) and how long it took (µs). */
  record Requests(long[] starts, long[] micros) {}

  static Requests read(Path log) throws IOException {
    long[] starts = new long[1 << 16];
    long[] micros = new long[1 << 16];
    int n = 0;
    try (BufferedReader in = Files.newBufferedReader(log, StandardCharsets.US_ASCII)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        String[] cols = line.split("\t");
        if (cols.length < 3) {
          throw new IOException("bad h2load log row in " + log + ": " + line);
        }
        if (n == micros.length) {
          starts = Arrays.copyOf(starts, n * 2);
          micros = Arrays.copyOf(micros, n * 2);
        }
        starts[n] = Long.parseLong(cols[0].trim());
        micros[n++] = Long.parseLong(cols[2].trim());
      }
    }
    if (n == 0) {
      throw new IOException("h2load logged no requests in " + log);
    }
    return new Requests(Arrays.copyOf(starts, n), Arrays.copyOf(micros, n));
  }

  /** p50, p99, p99.9 and max in µs, plus how many rows were read, keyed as in raw.tsv. */
  public static Map<String, Double> percentiles(Path log) throws IOException {
    long[] micros = read(log).micros();
    int n = micros.length;
    long[] sorted = Arrays.copyOf(micros, n);
    Arrays.sort(sorted);
    Map<String, Double> r = new LinkedHashMap<>();
    r.put("p50_us", (double) rank(sorted, 0.50));
    r.put("p99_us", (double) rank(sorted, 0.99));
    r.put("p999_us", (double) rank(sorted, 0.999));
    r.put("max_us", (double) sorted[n - 1]);
    r.put("logged", (double) n);
    return r;
  }

  /** The nearest-rank percentile: the smallest value at least {@code q} of the rows are under. */
  static long rank(long[] sorted, double q) {
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }
}
