package dev.strand.bench.jmh;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.time.Duration;
import java.util.Collection;

/**
 * The SDK the telemetry benchmarks measure with: it aggregates every metric and samples every span
 * (the default sampler), batches them as a production setup would, and exports to nothing, so the
 * SDK's own work stays and the export is free.
 */
final class NoExportSdk {
  private NoExportSdk() {}

  static OpenTelemetrySdk create() {
    return create(1.0);
  }

  /**
   * With {@code sampled} below 1, a trace is kept with that probability, chosen where it starts
   * (the client call's span) and followed by its children, the server's included: a production
   * setting ({@code parentbased_traceidratio}).
   */
  static OpenTelemetrySdk create(double sampled) {
    return create(sampled, true);
  }

  /**
   * With {@code propagate} false the SDK has no propagators: no trace context crosses the wire, so
   * a call's spans cost what they cost without the header that carries it.
   */
  static OpenTelemetrySdk create(double sampled, boolean propagate) {
    SdkTracerProviderBuilder tracing =
        SdkTracerProvider.builder()
            .addSpanProcessor(BatchSpanProcessor.builder(new NoSpanExporter()).build());
    if (sampled < 1.0) {
      tracing.setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(sampled)));
    }
    return OpenTelemetrySdk.builder()
        .setMeterProvider(
            SdkMeterProvider.builder()
                .registerMetricReader(
                    PeriodicMetricReader.builder(new NoMetricExporter())
                        .setInterval(Duration.ofSeconds(10))
                        .build())
                .build())
        .setTracerProvider(tracing.build())
        .setPropagators(
            propagate
                ? ContextPropagators.create(W3CTraceContextPropagator.getInstance())
                : ContextPropagators.noop())
        .build();
  }

  private static final class NoMetricExporter implements MetricExporter {
    @Override
    public CompletableResultCode export(Collection<MetricData> metrics) {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType type) {
      return AggregationTemporality.CUMULATIVE;
    }
  }

  private static final class NoSpanExporter implements SpanExporter {
    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
