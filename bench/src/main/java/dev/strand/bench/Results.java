package dev.strand.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Every number the harness measured, one row per round, kept in order and written as TSV. */
public final class Results {
  record Row(
      String section, String label, int round, String scenario, String metric, double value) {}

  private final List<Row> rows = Collections.synchronizedList(new ArrayList<>());
  private final Path tsv;

  public Results(Path tsv) throws IOException {
    this.tsv = tsv;
    Files.writeString(
        tsv, "section\tlabel\tround\tscenario\tmetric\tvalue\n", StandardCharsets.UTF_8);
  }

  public void add(
      String section, String label, int round, String scenario, String metric, double value) {
    rows.add(new Row(section, label, round, scenario, metric, value));
    try {
      Files.writeString(
          tsv,
          String.format(
              Locale.ROOT,
              "%s\t%s\t%d\t%s\t%s\t%.4f%n",
              section,
              label,
              round,
              scenario,
              metric,
              value),
          StandardCharsets.UTF_8,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public List<Double> values(String section, String label, String scenario, String metric) {
    List<Double> v = new ArrayList<>();
    synchronized (rows) {
      for (Row r : rows) {
        if (r.section.equals(section)
            && r.label.equals(label)
            && r.scenario.equals(scenario)
            && r.metric.equals(metric)
            && !Double.isNaN(r.value)) {
          v.add(r.value);
        }
      }
    }
    return v;
  }

  /** The median over rounds, NaN if never measured. */
  public double median(String section, String label, String scenario, String metric) {
    List<Double> v = values(section, label, scenario, metric);
    if (v.isEmpty()) {
      return Double.NaN;
    }
    Collections.sort(v);
    int n = v.size();
    return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
  }

  /** "min–max" over rounds, to show the spread next to a median. */
  public String spread(String section, String label, String scenario, String metric) {
    List<Double> v = values(section, label, scenario, metric);
    if (v.size() < 2) {
      return "";
    }
    Collections.sort(v);
    return Report.num(v.get(0)) + "–" + Report.num(v.get(v.size() - 1));
  }
}
