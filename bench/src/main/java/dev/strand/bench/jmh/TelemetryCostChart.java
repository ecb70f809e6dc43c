package dev.strand.bench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * Draws docs/observability/telemetry-cost.png from a JMH JSON result of {@link
 * TelemetryOverheadBenchmark} and {@link TelemetryFloorBenchmark} run with {@link
 * CpuPerOpProfiler}: the CPU a call costs, Strand and grpc-java, per telemetry setting, with the
 * 10% bar over Strand's "off". Usage: {@code TelemetryCostChart result.json out.png}.
 */
public final class TelemetryCostChart {
  private TelemetryCostChart() {}

  public static void main(String[] args) throws IOException {
    System.setProperty("java.awt.headless", "true");
    JsonNode runs = new ObjectMapper().readTree(Path.of(args[0]).toFile());
    DefaultCategoryDataset cpu = new DefaultCategoryDataset();
    double strandOff = Double.NaN;
    double floor = Double.NaN;
    double metricsFloor = Double.NaN;
    for (JsonNode run : runs) {
      String benchmark = run.path("benchmark").asText();
      double perCall = run.path("secondaryMetrics").path("cpu.per.op").path("score").asDouble();
      if (benchmark.endsWith("unaryCallSpans")) {
        if (run.path("params").path("sampled").asDouble() == 1.0) {
          floor = perCall;
        }
        continue;
      }
      if (benchmark.endsWith("unaryCallMetrics")) {
        metricsFloor = perCall;
        continue;
      }
      String telemetry = run.path("params").path("telemetry").asText();
      if (benchmark.endsWith("strandUnary64InFlight")) {
        cpu.addValue(perCall, "Strand", telemetry);
        if (telemetry.equals("off")) {
          strandOff = perCall;
        }
      } else if (benchmark.endsWith("grpcJavaUnary64InFlight")) {
        cpu.addValue(perCall, "grpc-java", telemetry);
      }
    }
    JFreeChart chart =
        ChartFactory.createBarChart(
            "CPU per unary call, client and server, 64 in flight",
            "telemetry (tracing samples every call unless -ratio says otherwise)",
            "µs of CPU per call",
            cpu,
            PlotOrientation.VERTICAL,
            true,
            false,
            false);
    chart.addSubtitle(
        new TextTitle(
            String.format(
                Locale.ROOT,
                "dashed: Strand off + 10%% (the issue's bar). The SDK alone, per call: %.2f µs"
                    + " for A72's three spans, %.2f µs for A66's nine recordings",
                floor,
                metricsFloor)));
    chart.setBackgroundPaint(Color.WHITE);
    CategoryPlot plot = chart.getCategoryPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    BarRenderer renderer = (BarRenderer) plot.getRenderer();
    renderer.setBarPainter(new StandardBarPainter());
    renderer.setShadowVisible(false);
    if (!Double.isNaN(strandOff)) {
      ValueMarker bar = new ValueMarker(strandOff * 1.1);
      bar.setPaint(Color.DARK_GRAY);
      bar.setStroke(
          new BasicStroke(
              1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
      plot.addRangeMarker(bar);
    }
    ChartUtils.saveChartAsPNG(Path.of(args[1]).toFile(), chart, 1100, 520);
  }
}
