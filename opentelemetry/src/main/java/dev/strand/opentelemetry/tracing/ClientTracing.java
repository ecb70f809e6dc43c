package dev.strand.opentelemetry.tracing;

import dev.strand.Metadata;
import dev.strand.MethodDescriptor;
import dev.strand.Status;
import dev.strand.spi.ClientCallTracer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;

/**
 * A72 on the client: a span per call ({@code Sent.<service>.<method>}), a child of whatever span is
 * current on the thread that starts the call, and under it a span per attempt ({@code
 * Attempt.<service>.<method>}) whose context the propagators write into that attempt's headers.
 */
public final class ClientTracing implements ClientCallTracer {
  private final Tracer tracer;
  private final TextMapPropagator propagator;

  public ClientTracing(Tracer tracer, TextMapPropagator propagator) {
    this.tracer = tracer;
    this.propagator = propagator;
  }

  @Override
  public Call callStarted(MethodDescriptor<?, ?> method, String authority) {
    Context parent = Context.current();
    SpanEvents.Names names = SpanEvents.names(method);
    Span span = tracer.spanBuilder(names.sent()).setParent(parent).startSpan();
    return new CallSpan(parent.with(span), span, names.attempt());
  }

  private final class CallSpan implements Call {
    private final Context context;
    private final Span span;
    private final String attemptName;

    CallSpan(Context context, Span span, String attemptName) {
      this.context = context;
      this.span = span;
      this.attemptName = attemptName;
    }

    @Override
    public Attempt attemptStarted(int previousAttempts, boolean transparentRetry) {
      Span attempt =
          tracer
              .spanBuilder(attemptName)
              .setParent(context)
              .setSpanKind(SpanKind.CLIENT)
              .startSpan();
      // Set once the span exists, as grpc-java does: a span the sampler dropped takes no
      // attribute map for them.
      if (attempt.isRecording()) {
        attempt.setAttribute(SpanEvents.PREVIOUS_ATTEMPTS, (long) previousAttempts);
        attempt.setAttribute(SpanEvents.TRANSPARENT, transparentRetry);
      }
      return new AttemptSpan(context.with(attempt), attempt);
    }

    @Override
    public void delayedNameResolutionComplete() {
      span.addEvent(SpanEvents.NAME_RESOLUTION_DELAYED);
    }

    @Override
    public void closed(Status status, Metadata trailers) {
      SpanEvents.end(span, status);
    }
  }

  /** One attempt's span. Its events come one after another, each after the one before. */
  private final class AttemptSpan implements Attempt {
    private final Context context;
    private final Span span;
    private long sent;
    private long received;

    AttemptSpan(Context context, Span span) {
      this.context = context;
      this.span = span;
    }

    @Override
    public void outboundHeaders(Metadata headers) {
      propagator.inject(context, headers, MetadataCarrier.INSTANCE);
    }

    @Override
    public void delayedPickComplete() {
      span.addEvent(SpanEvents.PICK_DELAYED);
    }

    @Override
    public void outboundMessage(int wireSize) {
      SpanEvents.message(span, "Outbound message", sent++, wireSize);
    }

    @Override
    public void inboundMessage(int wireSize) {
      SpanEvents.message(span, "Inbound message", received++, wireSize);
    }

    @Override
    public void closed(Status status, Metadata trailers) {
      SpanEvents.end(span, status);
    }
  }
}
