package dev.strand.e2e.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.client.CallOptions;
import dev.strand.client.ManagedChannel;
import dev.strand.server.Server;
import dev.strand.server.ServiceDefinition;
import dev.strand.stub.ClientCalls;
import dev.strand.stub.ServerCalls;
import dev.strand.stub.ServerContext;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs the snippets of docs/OBSERVABILITY.md against an in-memory SDK. */
@Timeout(30)
class ObservabilitySnippetsRunTest {
  @Test
  void theSetupMeasuresAndTracesBothSidesWithBothPropagators() throws Exception {
    InMemoryMetricReader metrics = InMemoryMetricReader.create();
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    AtomicReference<ServerContext> seen = new AtomicReference<>();
    try (OpenTelemetrySdk sdk =
        OpenTelemetrySdk.builder()
            .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(spans))
                    .build())
            .setPropagators(ObservabilitySnippets.propagators())
            .build()) {
      ServiceDefinition service =
          ServiceDefinition.builder(Greeter.SERVICE)
              .method(
                  Greeter.SAY_HELLO,
                  ServerCalls.unary(
                      name -> {
                        seen.set(ServerContext.current());
                        return "Hello " + name;
                      }))
              .build();
      Server server = ObservabilitySnippets.server(sdk, service);
      ManagedChannel channel = ObservabilitySnippets.channel(sdk, server.port());
      try {
        assertEquals(
            "Hello Ada",
            ClientCalls.blockingUnary(
                channel,
                Greeter.SAY_HELLO,
                CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(5)),
                "Ada"));
      } finally {
        channel.close();
        server.close();
      }
      assertNotNull(seen.get().requestHeaders().get("traceparent"));
      assertEquals(29, seen.get().requestHeaders().getBinary("grpc-trace-bin").length);
      Set<String> names =
          metrics.collectAllMetrics().stream().map(MetricData::getName).collect(Collectors.toSet());
      assertTrue(names.contains("grpc.client.call.duration"), names.toString());
      assertTrue(names.contains("grpc.server.call.started"), names.toString());
    }
  }
}
