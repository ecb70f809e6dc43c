package dev.strand.bench.rest;

import dev.strand.bench.Results;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * The PNG plots of docs/REST-VS-GRPC.md, drawn by JFreeChart from the same medians as results.md:
 * bars per target, grouped by message size (or by metric).
 */
final class Charts {
  private static final int WIDTH = 1100;
  private static final int HEIGHT = 520;

  private Charts() {}

  static void writeAll(Results r, Path dir) throws IOException {
    System.setProperty("java.awt.headless", "true"); // no display on a build machine
    DefaultCategoryDataset rate = new DefaultCategoryDataset();
    DefaultCategoryDataset cpu = new DefaultCategoryDataset();
    DefaultCategoryDataset latency = new DefaultCategoryDataset();
    DefaultCategoryDataset bytes = new DefaultCategoryDataset();
    for (Target t : Target.ALL) {
      String label = t.label();
      for (Scenario sc : Scenario.values()) {
        add(rate, r.median("load", label, sc.label, "rate"), label, sc.label);
        add(cpu, r.median("load", label, sc.label, "server_cpu_us_per_call"), label, sc.label);
        add(latency, r.median("load", label, sc.label, "p50_us"), label, sc.label + " p50");
        add(latency, r.median("load", label, sc.label, "p99_us"), label, sc.label + " p99");
        double up = r.median("bytes", label, sc.label, "up_per_call");
        double down = r.median("bytes", label, sc.label, "down_per_call");
        add(bytes, up + down, label, sc.label);
      }
    }
    save(dir.resolve("throughput.png"), bar("Throughput at saturation", "requests/s", rate, false));
    save(dir.resolve("latency.png"), bar("Latency at saturation (p50, p99)", "µs", latency, true));
    save(dir.resolve("cpu.png"), bar("Server CPU per call", "µs of CPU", cpu, false));
    save(
        dir.resolve("bytes.png"),
        bar(
            "Bytes on the wire per call (both directions, headers included)",
            "bytes",
            bytes,
            true));
    DefaultCategoryDataset streamBytes = new DefaultCategoryDataset();
    DefaultCategoryDataset streamTime = new DefaultCategoryDataset();
    for (String label : StreamingReport.LABELS) {
      for (String metric : List.of("up_per_update", "down_per_update")) {
        add(streamBytes, r.median("stream", label, "updates", metric), label, metric);
      }
      for (String metric : List.of("us_per_update", "server_cpu_us_per_update")) {
        add(streamTime, r.median("stream", label, "updates", metric), label, metric);
      }
    }
    save(
        dir.resolve("streaming-bytes.png"),
        bar("Streaming vs polling: bytes per update", "bytes", streamBytes, false));
    save(
        dir.resolve("streaming-time.png"),
        bar("Streaming vs polling: time and server CPU per update", "µs", streamTime, false));
  }

  private static void add(DefaultCategoryDataset d, double v, String series, String category) {
    if (!Double.isNaN(v)) {
      d.addValue(v, series, category);
    }
  }

  /** Grouped vertical bars; {@code log} for values spanning decades (bytes, tail latency). */
  private static JFreeChart bar(String title, String unit, DefaultCategoryDataset d, boolean log) {
    JFreeChart chart =
        ChartFactory.createBarChart(
            title, null, unit, d, PlotOrientation.VERTICAL, true, false, false);
    chart.setBackgroundPaint(Color.WHITE);
    CategoryPlot plot = chart.getCategoryPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    plot.getDomainAxis().setCategoryLabelPositions(CategoryLabelPositions.STANDARD);
    BarRenderer renderer = (BarRenderer) plot.getRenderer();
    renderer.setBarPainter(new StandardBarPainter()); // flat bars, no gradient or shine
    renderer.setShadowVisible(false);
    renderer.setItemMargin(0.02);
    if (log) {
      LogAxis axis = new LogAxis(unit);
      axis.setSmallestValue(10);
      axis.setTickUnit(new NumberTickUnit(1)); // one tick a decade: 10, 100, 1,000...
      axis.setNumberFormatOverride(new DecimalFormat("#,##0"));
      plot.setRangeAxis(axis);
      renderer.setBase(10); // bars grow from the axis's floor: log has no 0
    }
    return chart;
  }

  private static void save(Path png, JFreeChart chart) throws IOException {
    ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, HEIGHT);
  }
}
