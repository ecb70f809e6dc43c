package dev.strand.opentelemetry;

import dev.strand.MethodDescriptor;
import dev.strand.client.ChannelBuilder;
import dev.strand.interceptor.CallLogging;
import dev.strand.opentelemetry.metrics.ClientMetrics;
import dev.strand.opentelemetry.metrics.Instruments;
import dev.strand.opentelemetry.metrics.RetryInstruments;
import dev.strand.opentelemetry.metrics.ServerMetrics;
import dev.strand.opentelemetry.tracing.ClientTracing;
import dev.strand.opentelemetry.tracing.ServerContextInterceptor;
import dev.strand.opentelemetry.tracing.ServerTracing;
import dev.strand.server.ServerBuilder;
import dev.strand.spi.ClientCallTracer;
import dev.strand.spi.ServerCallTracer;
import dev.strand.spi.TargetUri;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * gRPC's OpenTelemetry metrics (A66) and tracing (A72) for Strand servers and channels, from an
 * application's {@link OpenTelemetry} (an SDK it built, or {@code GlobalOpenTelemetry.get()} with
 * the Java agent):
 *
 * <pre>{@code
 * StrandTelemetry telemetry = StrandTelemetry.create(openTelemetry);
 * Server server = telemetry.configure(Server.builder().port(50051)).service(...).start();
 * ManagedChannel channel = telemetry.configure(Channel.to("localhost:50051").plaintext()).build();
 * }</pre>
 *
 * <p>The metrics and spans have grpc-java's names, units, attributes and buckets. Request headers
 * carry the trace context with the OpenTelemetry instance's propagators (W3C {@code traceparent} by
 * default; add {@link #grpcTraceBin()} for peers on OpenCensus). {@code configure} sets the
 * builder's call tracer (one per builder) and, on a server, the interceptor that makes a call's
 * span current in its handler: configure a server builder before adding other interceptors, so they
 * run inside the span.
 */
public final class StrandTelemetry {
  private static final String INSTRUMENTATION = "dev.strand";
  private static final Set<String> KNOWN_SCHEMES =
      Set.of("dns", "unix", "unix-abstract", "ipv4", "ipv6", "xds", "passthrough");

  private final Instruments instruments;
  private final RetryInstruments retryInstruments;
  private final Tracer tracer;
  private final TextMapPropagator propagator;
  private final Predicate<MethodDescriptor<?, ?>> recordMethodName;

  private StrandTelemetry(Builder builder) {
    OpenTelemetry otel = builder.openTelemetry;
    this.instruments = builder.metrics ? new Instruments(otel.getMeter(INSTRUMENTATION)) : null;
    this.retryInstruments =
        builder.metrics && builder.retryMetrics
            ? new RetryInstruments(otel.getMeter(INSTRUMENTATION))
            : null;
    this.tracer = builder.tracing ? otel.getTracer(INSTRUMENTATION) : null;
    this.propagator =
        builder.propagator != null
            ? builder.propagator
            : otel.getPropagators().getTextMapPropagator();
    this.recordMethodName = builder.recordMethodName;
  }

  /** Metrics and tracing, with the instance's meter and tracer providers and propagators. */
  public static StrandTelemetry create(OpenTelemetry openTelemetry) {
    return builder(openTelemetry).build();
  }

  public static Builder builder(OpenTelemetry openTelemetry) {
    return new Builder(openTelemetry);
  }

  /** The {@code grpc-trace-bin} propagator, to combine with others for OpenCensus peers. */
  public static TextMapPropagator grpcTraceBin() {
    return dev.strand.opentelemetry.tracing.GrpcTraceBin.INSTANCE;
  }

  /**
   * Trace and span ids for {@code CallLogging}'s MDC: {@code
   * builder.interceptor(CallLogging.server(StrandTelemetry.mdcFields()))}.
   */
  public static CallLogging.MdcFields mdcFields() {
    return TraceMdc.INSTANCE;
  }

  /** Measures and traces the builder's server's calls. */
  public ServerBuilder configure(ServerBuilder builder) {
    ServerCallTracer tracer = serverTracer();
    if (tracer != null) {
      builder.tracer(tracer);
    }
    if (this.tracer != null) {
      builder.interceptor(ServerContextInterceptor.INSTANCE);
    }
    return builder;
  }

  /** Measures and traces the builder's channel's calls, with its target as {@code grpc.target}. */
  public ChannelBuilder configure(ChannelBuilder builder) {
    ClientCallTracer tracer = clientTracer(canonicalTarget(builder.target()));
    if (tracer != null) {
      builder.tracer(tracer);
    }
    return builder;
  }

  /** The server's call tracer, for a builder configured by hand; null if both are off. */
  public ServerCallTracer serverTracer() {
    ServerCallTracer metrics = instruments == null ? null : new ServerMetrics(instruments);
    ServerCallTracer tracing = tracer == null ? null : new ServerTracing(tracer, propagator);
    return metrics == null ? tracing : tracing == null ? metrics : Fanout.server(metrics, tracing);
  }

  /** A channel's call tracer for {@code target} (its {@code grpc.target}); null if both are off. */
  public ClientCallTracer clientTracer(String target) {
    ClientCallTracer metrics =
        instruments == null
            ? null
            : new ClientMetrics(instruments, target, recordMethodName, retryInstruments);
    ClientCallTracer tracing = tracer == null ? null : new ClientTracing(tracer, propagator);
    return metrics == null ? tracing : tracing == null ? metrics : Fanout.client(metrics, tracing);
  }

  /**
   * A66's canonical target: with its scheme, {@code dns:///} where the user gave none ({@code
   * localhost:50051} is {@code dns:///localhost:50051}).
   */
  static String canonicalTarget(String target) {
    TargetUri uri = TargetUri.parse(target);
    if (uri != null && KNOWN_SCHEMES.contains(uri.scheme())) {
      return target;
    }
    if (uri != null && uri.authority() != null) {
      return target; // scheme://authority/path: a scheme of a resolver the application added
    }
    return "dns:///" + target;
  }

  public static final class Builder {
    private final OpenTelemetry openTelemetry;
    private boolean metrics = true;
    private boolean tracing = true;
    private boolean retryMetrics;
    private TextMapPropagator propagator;
    private Predicate<MethodDescriptor<?, ?>> recordMethodName = method -> true;

    private Builder(OpenTelemetry openTelemetry) {
      this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
    }

    /** A66's metrics; on by default. */
    public Builder metrics(boolean enabled) {
      this.metrics = enabled;
      return this;
    }

    /**
     * A96's retry metrics ({@code grpc.client.call.retries}, {@code .transparent_retries}, {@code
     * .hedges}, {@code .retry_delay}); off by default, as in A96 and grpc-java while they are
     * experimental.
     */
    public Builder retryMetrics(boolean enabled) {
      this.retryMetrics = enabled;
      return this;
    }

    /** A72's spans and trace-context propagation; on by default. */
    public Builder tracing(boolean enabled) {
      this.tracing = enabled;
      return this;
    }

    /** The propagator for request headers, instead of the OpenTelemetry instance's. */
    public Builder propagator(TextMapPropagator propagator) {
      this.propagator = Objects.requireNonNull(propagator, "propagator");
      return this;
    }

    /**
     * Which methods a channel's metrics name in {@code grpc.method}; the others are "other". By
     * default every one: a client's methods are the ones its code calls. A client that forwards
     * whatever method it is asked for (a proxy) should name only those it knows, so the metrics
     * cannot grow without bound. A server names every method it registered, and counts no other.
     */
    public Builder clientMethodFilter(Predicate<MethodDescriptor<?, ?>> recordMethodName) {
      this.recordMethodName = Objects.requireNonNull(recordMethodName, "recordMethodName");
      return this;
    }

    public StrandTelemetry build() {
      return new StrandTelemetry(this);
    }
  }
}
