package dev.strand.bench.jmh;

import dev.strand.opentelemetry.metrics.Instruments;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The floor under gRPC's OpenTelemetry on a unary call: what the OpenTelemetry SDK itself does for
 * one call, with no RPC around it, on {@link NoExportSdk}. {@link #unaryCallSpans}: A72's three
 * spans (client call, attempt, server), their four message events and a {@code traceparent} written
 * and read, every trace sampled or none ({@code sampled}). {@link #unaryCallMetrics}: A66's nine
 * recordings, client and server, with attribute sets made once as Strand makes them. What a
 * framework's telemetry adds to a call in {@link TelemetryOverheadBenchmark} beyond this is the
 * framework's own; this much no framework can avoid.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TelemetryFloorBenchmark {
  private static final String METHOD = "grpc.testing.BenchmarkService/UnaryCall";
  private static final AttributeKey<Long> SEQUENCE = AttributeKey.longKey("sequence-number");
  private static final AttributeKey<Long> SIZE = AttributeKey.longKey("message-size");
  private static final AttributeKey<Long> PREVIOUS = AttributeKey.longKey("previous-rpc-attempts");
  private static final AttributeKey<Boolean> TRANSPARENT =
      AttributeKey.booleanKey("transparent-retry");
  private static final TextMapSetter<Map<String, String>> SETTER = Map::put;
  private static final TextMapGetter<Map<String, String>> GETTER =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
          return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
          return carrier == null ? null : carrier.get(key);
        }
      };

  /** The tracing SDK, keeping every trace ({@code 1.0}) or none ({@code 0.0}). */
  @State(Scope.Benchmark)
  public static class Tracing {
    @Param({"1.0", "0.0"})
    public double sampled;

    OpenTelemetrySdk sdk;
    Tracer tracer;
    TextMapPropagator propagator;

    @Setup(Level.Trial)
    public void setup() {
      sdk = NoExportSdk.create(sampled);
      tracer = sdk.getTracer("floor");
      propagator = sdk.getPropagators().getTextMapPropagator();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      sdk.close();
    }
  }

  /** A66's instruments on the metrics SDK, and the attribute sets a call records with. */
  @State(Scope.Benchmark)
  public static class Metrics {
    OpenTelemetrySdk sdk;
    Instruments instruments;
    Attributes started;
    Attributes clientEnded;
    Attributes serverStarted;
    Attributes serverEnded;

    @Setup(Level.Trial)
    public void setup() {
      sdk = NoExportSdk.create();
      instruments = new Instruments(sdk.getMeter("floor"));
      started = Attributes.of(Instruments.METHOD, METHOD, Instruments.TARGET, "dns:///localhost");
      clientEnded = started.toBuilder().put(Instruments.STATUS, "OK").build();
      serverStarted = Attributes.of(Instruments.METHOD, METHOD);
      serverEnded = serverStarted.toBuilder().put(Instruments.STATUS, "OK").build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      sdk.close();
    }
  }

  /** One unary call's spans, in the order a call makes them. */
  @Benchmark
  public Span unaryCallSpans(Tracing t) {
    Context parent = Context.current();
    Span call =
        t.tracer
            .spanBuilder("Sent.grpc.testing.BenchmarkService.UnaryCall")
            .setParent(parent)
            .startSpan();
    Context callContext = parent.with(call);
    Span attempt =
        t.tracer
            .spanBuilder("Attempt.grpc.testing.BenchmarkService.UnaryCall")
            .setParent(callContext)
            .setSpanKind(SpanKind.CLIENT)
            .startSpan();
    if (attempt.isRecording()) {
      attempt.setAttribute(PREVIOUS, 0L);
      attempt.setAttribute(TRANSPARENT, false);
    }
    Map<String, String> headers = new HashMap<>();
    t.propagator.inject(callContext.with(attempt), headers, SETTER);
    message(attempt, "Outbound message");

    Context remote = t.propagator.extract(Context.root(), headers, GETTER);
    Span server =
        t.tracer
            .spanBuilder("Recv.grpc.testing.BenchmarkService.UnaryCall")
            .setParent(remote)
            .setSpanKind(SpanKind.SERVER)
            .startSpan();
    message(server, "Inbound message");
    message(server, "Outbound message");
    end(server);

    message(attempt, "Inbound message");
    end(attempt);
    end(call);
    return server;
  }

  private static void message(Span span, String name) {
    if (span.isRecording()) {
      span.addEvent(name, Attributes.of(SEQUENCE, 0L, SIZE, 107L));
    }
  }

  private static void end(Span span) {
    if (span.isRecording()) {
      span.setStatus(StatusCode.OK);
    }
    span.end();
  }

  /** One unary call's A66 recordings: five on the client, four on the server. */
  @Benchmark
  public void unaryCallMetrics(Metrics m) {
    Instruments i = m.instruments;
    i.clientAttemptStarted.add(1, m.started);
    i.serverCallStarted.add(1, m.serverStarted);
    i.serverCallReceived.record(107, m.serverEnded);
    i.serverCallSent.record(107, m.serverEnded);
    i.serverCallDuration.record(0.000_05, m.serverEnded);
    i.clientAttemptSent.record(107, m.clientEnded);
    i.clientAttemptReceived.record(107, m.clientEnded);
    i.clientAttemptDuration.record(0.000_07, m.clientEnded);
    i.clientCallDuration.record(0.000_08, m.clientEnded);
  }
}
