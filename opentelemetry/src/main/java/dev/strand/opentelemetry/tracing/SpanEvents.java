package dev.strand.opentelemetry.tracing;

import dev.strand.MethodDescriptor;
import dev.strand.Status;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;

/** What A72 puts on a span: its name, message events and the status it ends with. */
final class SpanEvents {
  static final AttributeKey<Long> SEQUENCE = AttributeKey.longKey("sequence-number");
  static final AttributeKey<Long> SIZE = AttributeKey.longKey("message-size");
  static final AttributeKey<Long> PREVIOUS_ATTEMPTS = AttributeKey.longKey("previous-rpc-attempts");
  static final AttributeKey<Boolean> TRANSPARENT = AttributeKey.booleanKey("transparent-retry");

  private SpanEvents() {}

  /** "Sent.pkg.Service.Method" and the like: A72's names. */
  static String name(String prefix, MethodDescriptor<?, ?> method) {
    return prefix + method.fullName().replace('/', '.');
  }

  /**
   * A message event. The call tracer knows a message's size on the wire, which is the message's
   * size when it is not compressed (and its compressed size when it is).
   */
  static void message(Span span, String event, long sequence, int wireSize) {
    span.addEvent(event, Attributes.of(SEQUENCE, sequence, SIZE, (long) wireSize));
  }

  static void end(Span span, Status status) {
    if (status.isOk()) {
      span.setStatus(StatusCode.OK);
    } else {
      String description = status.description();
      span.setStatus(
          StatusCode.ERROR,
          description == null ? status.code().name() : status.code().name() + ", " + description);
    }
    span.end();
  }
}
