package dev.strand.bench.jmh;

import dev.strand.bench.BenchServices;
import dev.strand.bench.Payloads;
import dev.strand.client.Channel;
import dev.strand.client.ChannelBuilder;
import dev.strand.client.ManagedChannel;
import dev.strand.opentelemetry.StrandTelemetry;
import dev.strand.server.Server;
import dev.strand.server.ServerBuilder;
import io.grpc.benchmarks.proto.BenchmarkService;
import io.grpc.benchmarks.proto.Messages.SimpleRequest;
import io.grpc.benchmarks.proto.Messages.SimpleResponse;
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
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What gRPC's OpenTelemetry metrics and tracing cost a unary call, client and server in this JVM
 * (as {@link UnaryCallBenchmark}): {@code off} (no module), {@code metrics}, {@code tracing} and
 * {@code both}, on an SDK that aggregates every metric and samples every span but exports to
 * nothing. The bar: {@code both} within 10% of {@code off}; with {@code -prof gc}, {@code
 * off} allocates what UnaryCallBenchmark's Strand call does.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TelemetryOverheadBenchmark {
  @Param({"off", "metrics", "tracing", "both"})
  public String telemetry;

  private OpenTelemetrySdk sdk;
  private Server server;
  private ManagedChannel channel;
  private BenchmarkService.Client client;
  private SimpleRequest request;

  @Setup(Level.Trial)
  public void setup() throws Exception {
    request = Payloads.request(100, 100);
    ServerBuilder serverBuilder =
        Server.builder().address("127.0.0.1", 0).service(BenchServices.strand("async"));
    StrandTelemetry strand = null;
    if (!telemetry.equals("off")) {
      sdk =
          OpenTelemetrySdk.builder()
              .setMeterProvider(
                  SdkMeterProvider.builder()
                      .registerMetricReader(
                          PeriodicMetricReader.builder(new NoMetricExporter())
                              .setInterval(Duration.ofSeconds(10))
                              .build())
                      .build())
              .setTracerProvider(
                  SdkTracerProvider.builder()
                      .addSpanProcessor(BatchSpanProcessor.builder(new NoSpanExporter()).build())
                      .build())
              .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
              .build();
      strand =
          StrandTelemetry.builder(sdk)
              .metrics(!telemetry.equals("tracing"))
              .tracing(!telemetry.equals("metrics"))
              .build();
      strand.configure(serverBuilder);
    }
    server = serverBuilder.start();
    ChannelBuilder channelBuilder = Channel.to("127.0.0.1", server.port()).plaintext();
    if (strand != null) {
      strand.configure(channelBuilder);
    }
    channel = channelBuilder.build();
    client = BenchmarkService.client(channel);
    client.async().unaryCall(request).get(10, TimeUnit.SECONDS);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    channel.close();
    server.close();
    if (sdk != null) {
      sdk.close();
    }
  }

  @Benchmark
  public SimpleResponse strandUnary() {
    return client.unaryCall(request);
  }

  /** Calls in flight at once on each stack's connection. */
  static final int IN_FLIGHT = 64;

  /**
   * {@link #IN_FLIGHT} calls started together and awaited: one op is 64 calls, so the score over 64
   * is a call's share of the CPU when the connection is busy, which is what the throughput bar is
   * about. One call at a time ({@link #strandUnary}) mostly measures threads waking up.
   */
  @Benchmark
  @OperationsPerInvocation(IN_FLIGHT)
  public void strandUnary64InFlight() throws Exception {
    List<CompletableFuture<SimpleResponse>> calls = new ArrayList<>(IN_FLIGHT);
    for (int i = 0; i < IN_FLIGHT; i++) {
      calls.add(client.async().unaryCall(request).toCompletableFuture());
    }
    for (CompletableFuture<SimpleResponse> call : calls) {
      call.get(10, TimeUnit.SECONDS);
    }
  }

  /** Takes every batch and drops it: the SDK's own work stays, the export is free. */
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
