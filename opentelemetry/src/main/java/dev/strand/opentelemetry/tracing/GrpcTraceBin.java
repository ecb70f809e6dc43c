package dev.strand.opentelemetry.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.Base64;
import java.util.Collection;
import java.util.List;

/**
 * The {@code grpc-trace-bin} header (OpenCensus's binary span context, A72), as a propagator:
 * version 0, then field 0 (16-byte trace id), field 1 (8-byte span id), field 2 (1 byte of options,
 * bit 0 sampled). Through {@link MetadataCarrier} it moves bytes; through any other carrier, base64
 * text.
 */
public final class GrpcTraceBin implements TextMapPropagator {
  public static final String HEADER = "grpc-trace-bin";
  public static final GrpcTraceBin INSTANCE = new GrpcTraceBin();
  private static final int LENGTH = 29;

  private GrpcTraceBin() {}

  @Override
  public Collection<String> fields() {
    return List.of(HEADER);
  }

  @Override
  public <C> void inject(Context context, C carrier, TextMapSetter<C> setter) {
    if (context == null || setter == null) {
      return;
    }
    SpanContext span = Span.fromContext(context).getSpanContext();
    if (!span.isValid()) {
      return;
    }
    byte[] value = toBytes(span);
    if (setter instanceof MetadataCarrier metadata && carrier instanceof dev.strand.Metadata m) {
      metadata.setBinary(m, HEADER, value);
    } else {
      setter.set(carrier, HEADER, Base64.getEncoder().encodeToString(value));
    }
  }

  @Override
  public <C> Context extract(Context context, C carrier, TextMapGetter<C> getter) {
    if (context == null) {
      context = Context.root();
    }
    if (getter == null) {
      return context;
    }
    byte[] value;
    if (getter instanceof MetadataCarrier metadata && carrier instanceof dev.strand.Metadata m) {
      value = metadata.getBinary(m, HEADER);
    } else {
      String text = getter.get(carrier, HEADER);
      try {
        value = text == null ? null : Base64.getDecoder().decode(text);
      } catch (IllegalArgumentException e) {
        value = null;
      }
    }
    SpanContext span = value == null ? null : fromBytes(value);
    return span == null ? context : context.with(Span.wrap(span));
  }

  static byte[] toBytes(SpanContext span) {
    byte[] out = new byte[LENGTH];
    out[0] = 0; // version
    out[1] = 0; // trace id
    System.arraycopy(span.getTraceIdBytes(), 0, out, 2, 16);
    out[18] = 1; // span id
    System.arraycopy(span.getSpanIdBytes(), 0, out, 19, 8);
    out[27] = 2; // options
    out[28] = span.getTraceFlags().asByte();
    return out;
  }

  /** The span context a header holds, or null if it is not a valid one of version 0. */
  static SpanContext fromBytes(byte[] value) {
    if (value.length < LENGTH
        || value[0] != 0
        || value[1] != 0
        || value[18] != 1
        || value[27] != 2) {
      return null;
    }
    String traceId = hex(value, 2, 16);
    String spanId = hex(value, 19, 8);
    if (!TraceId.isValid(traceId) || !SpanId.isValid(spanId)) {
      return null;
    }
    SpanContext span =
        SpanContext.createFromRemoteParent(
            traceId, spanId, TraceFlags.fromByte((byte) (value[28] & 1)), TraceState.getDefault());
    return span.isValid() ? span : null;
  }

  private static String hex(byte[] bytes, int from, int length) {
    StringBuilder out = new StringBuilder(length * 2);
    for (int i = from; i < from + length; i++) {
      out.append(Character.forDigit((bytes[i] >> 4) & 0xf, 16));
      out.append(Character.forDigit(bytes[i] & 0xf, 16));
    }
    return out.toString();
  }
}
