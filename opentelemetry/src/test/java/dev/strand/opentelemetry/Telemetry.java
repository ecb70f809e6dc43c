package dev.strand.opentelemetry;

import static org.junit.jupiter.api.Assertions.fail;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** An OpenTelemetry SDK that keeps what it records in memory, for tests to read. */
final class Telemetry implements AutoCloseable {
  final InMemoryMetricReader metrics = InMemoryMetricReader.create();
  final InMemorySpanExporter spans = InMemorySpanExporter.create();
  final OpenTelemetrySdk sdk;

  Telemetry() {
    this(W3CTraceContextPropagator.getInstance());
  }

  Telemetry(TextMapPropagator propagator) {
    sdk =
        OpenTelemetrySdk.builder()
            .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(spans))
                    .build())
            .setPropagators(ContextPropagators.create(propagator))
            .build();
  }

  OpenTelemetry openTelemetry() {
    return sdk;
  }

  /** Every metric collected now (cumulative). */
  List<MetricData> collect() {
    return List.copyOf(metrics.collectAllMetrics());
  }

  Optional<MetricData> metric(List<MetricData> all, String name) {
    return all.stream().filter(m -> m.getName().equals(name)).findFirst();
  }

  /** The histogram point of {@code name} with exactly these attributes, waiting for it a while. */
  HistogramPointData histogram(String name, Attributes attributes) throws InterruptedException {
    return awaitPoint(
        name,
        m ->
            m.getHistogramData().getPoints().stream()
                .filter(p -> p.getAttributes().equals(attributes))
                .findFirst()
                .orElse(null));
  }

  LongPointData counter(String name, Attributes attributes) throws InterruptedException {
    return awaitPoint(
        name,
        m ->
            m.getLongSumData().getPoints().stream()
                .filter(p -> p.getAttributes().equals(attributes))
                .findFirst()
                .orElse(null));
  }

  private <T> T awaitPoint(String name, java.util.function.Function<MetricData, T> point)
      throws InterruptedException {
    List<MetricData> last = List.of();
    for (int i = 0; i < 200; i++) {
      last = collect();
      Optional<MetricData> metric = metric(last, name);
      if (metric.isPresent()) {
        T found = point.apply(metric.get());
        if (found != null) {
          return found;
        }
      }
      Thread.sleep(25);
    }
    fail("no point of " + name + " with those attributes in " + last);
    return null;
  }

  /** The finished spans, once {@code enough} holds for them (spans end on other threads). */
  List<SpanData> awaitSpans(Predicate<List<SpanData>> enough) throws InterruptedException {
    for (int i = 0; i < 200; i++) {
      List<SpanData> finished = spans.getFinishedSpanItems();
      if (enough.test(finished)) {
        return finished;
      }
      Thread.sleep(25);
    }
    return fail("spans never complete: " + spans.getFinishedSpanItems());
  }

  SpanData span(List<SpanData> all, String name) {
    return all.stream()
        .filter(s -> s.getName().equals(name))
        .findFirst()
        .orElseGet(() -> fail("no span " + name + " in " + all));
  }

  @Override
  public void close() {
    sdk.close();
  }
}
