package dev.strand.opentelemetry;

import dev.strand.interceptor.CallLogging;
import dev.strand.opentelemetry.tracing.TracedCall;
import dev.strand.server.ServerCall;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import java.util.Map;

/**
 * A call's trace and span ids for {@link CallLogging}'s MDC, under the names the OpenTelemetry Java
 * agent gives them ({@code trace_id}, {@code span_id}, {@code trace_flags}): on the server the
 * call's own span, on the client the span the call was made in (the call's span is its child).
 */
final class TraceMdc implements CallLogging.MdcFields {
  static final TraceMdc INSTANCE = new TraceMdc();

  private TraceMdc() {}

  @Override
  public Map<String, String> server(ServerCall<?, ?> call) {
    Context context = TracedCall.contextOf(call.info().tracerCall());
    return context == null ? Map.of() : fields(Span.fromContext(context).getSpanContext());
  }

  @Override
  public Map<String, String> client() {
    return fields(Span.current().getSpanContext());
  }

  private static Map<String, String> fields(SpanContext span) {
    if (!span.isValid()) {
      return Map.of();
    }
    return Map.of(
        "trace_id", span.getTraceId(),
        "span_id", span.getSpanId(),
        "trace_flags", span.getTraceFlags().asHex());
  }
}
