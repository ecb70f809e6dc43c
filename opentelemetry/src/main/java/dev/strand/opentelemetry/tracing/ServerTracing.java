package dev.strand.opentelemetry.tracing;

import dev.strand.Metadata;
import dev.strand.MethodDescriptor;
import dev.strand.Status;
import dev.strand.spi.ServerCallTracer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;

/**
 * A72 on the server: a span per call ({@code Recv.<service>.<method>}), a child of the span context
 * the client's headers carry. {@link ServerContextInterceptor} makes it current in the handler.
 */
public final class ServerTracing implements ServerCallTracer {
  private final Tracer tracer;
  private final TextMapPropagator propagator;

  public ServerTracing(Tracer tracer, TextMapPropagator propagator) {
    this.tracer = tracer;
    this.propagator = propagator;
  }

  @Override
  public Call callStarted(MethodDescriptor<?, ?> method, Metadata requestHeaders) {
    Context parent = propagator.extract(Context.root(), requestHeaders, MetadataCarrier.INSTANCE);
    Span span =
        tracer
            .spanBuilder(SpanEvents.names(method).recv())
            .setParent(parent)
            .setSpanKind(SpanKind.SERVER)
            .startSpan();
    return new ServerSpan(parent.with(span), span);
  }

  /** One call's span. Its events come one after another on the connection's event loop. */
  private static final class ServerSpan implements Call, TracedCall {
    private final Context context;
    private final Span span;
    private long sent;
    private long received;

    ServerSpan(Context context, Span span) {
      this.context = context;
      this.span = span;
    }

    @Override
    public Context context() {
      return context;
    }

    @Override
    public void inboundMessage(int wireSize) {
      SpanEvents.message(span, "Inbound message", received++, wireSize);
    }

    @Override
    public void outboundMessage(int wireSize) {
      SpanEvents.message(span, "Outbound message", sent++, wireSize);
    }

    @Override
    public void closed(Status status, Metadata trailers) {
      SpanEvents.end(span, status);
    }
  }
}
