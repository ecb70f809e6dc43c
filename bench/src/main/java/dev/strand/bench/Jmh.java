package dev.strand.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads JMH's CSV into the results. Benchmarks come in pairs named {@code strandX} and {@code
 * grpcJavaX} in one class; each becomes scenario {@code Class.X[params]} with label strand or
 * grpc-java, metrics {@code score} (in the benchmark's unit) and {@code alloc_b_per_op} (from -prof
 * gc's gc.alloc.rate.norm).
 */
final class Jmh {
  /** scenario -> the unit of its score, e.g. ns/op. */
  static final java.util.Map<String, String> UNITS = new java.util.LinkedHashMap<>();

  private Jmh() {}

  static void parse(Path csv, Results results) throws IOException {
    List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    if (lines.isEmpty()) {
      throw new IOException("empty JMH result " + csv);
    }
    List<String> header = split(lines.get(0));
    for (String line : lines.subList(1, lines.size())) {
      List<String> f = split(line);
      if (f.size() < 7) {
        continue;
      }
      String name = f.get(0);
      String metric = "score";
      int colon = name.indexOf(':');
      if (colon >= 0) {
        String secondary = name.substring(colon + 1);
        name = name.substring(0, colon);
        if (!secondary.equals("gc.alloc.rate.norm")) {
          continue;
        }
        metric = "alloc_b_per_op";
      }
      String[] parts = name.split("\\.");
      String cls = parts[parts.length - 2];
      String method = parts[parts.length - 1];
      String label;
      String op;
      if (method.startsWith("strand")) {
        label = "strand";
        op = method.substring("strand".length());
      } else if (method.startsWith("grpcJava")) {
        label = "grpc-java";
        op = method.substring("grpcJava".length());
      } else {
        label = "other";
        op = method;
      }
      StringBuilder params = new StringBuilder();
      for (int i = 7; i < f.size() && i < header.size(); i++) {
        if (!f.get(i).isEmpty()) {
          params
              .append(params.length() == 0 ? "[" : ",")
              .append(header.get(i).replace("Param: ", ""))
              .append('=')
              .append(f.get(i));
        }
      }
      if (params.length() > 0) {
        params.append(']');
      }
      String scenario = cls + "." + op + params;
      if (metric.equals("score")) {
        UNITS.put(scenario, f.get(6));
      }
      results.add("jmh", label, 1, scenario, metric, Double.parseDouble(f.get(4)));
    }
  }

  private static List<String> split(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    out.add(cur.toString());
    return out;
  }
}
