package dev.strand.opentelemetry.tracing;

import dev.strand.MethodDescriptor;
import dev.strand.Status;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What A72 puts on a span: its name, message events, the delay events and the status it ends with.
 */
final class SpanEvents {
  static final AttributeKey<Long> SEQUENCE = AttributeKey.longKey("sequence-number");
  static final AttributeKey<Long> SIZE = AttributeKey.longKey("message-size");
  static final AttributeKey<Long> PREVIOUS_ATTEMPTS = AttributeKey.longKey("previous-rpc-attempts");
  static final AttributeKey<Boolean> TRANSPARENT = AttributeKey.booleanKey("transparent-retry");

  /** On the call span: the call waited for the channel's first name resolution, now done. */
  static final String NAME_RESOLUTION_DELAYED = "Delayed name resolution complete";

  /** On the attempt span: its stream is created after its pick had to wait for a connection. */
  static final String PICK_DELAYED = "Delayed LB pick complete";

  /** Past this many methods (a proxy forwarding arbitrary names), names are made per call. */
  private static final int MAX_CACHED = 1_000;

  private static final ConcurrentHashMap<String, Names> NAMES = new ConcurrentHashMap<>();

  private SpanEvents() {}

  /** A72's span names of a method: made once, not three strings per call. */
  record Names(String sent, String attempt, String recv) {}

  static Names names(MethodDescriptor<?, ?> method) {
    String fullName = method.fullName();
    Names names = NAMES.get(fullName);
    if (names == null) {
      String dotted = fullName.replace('/', '.');
      names = new Names("Sent." + dotted, "Attempt." + dotted, "Recv." + dotted);
      if (NAMES.size() < MAX_CACHED) {
        NAMES.putIfAbsent(fullName, names);
      }
    }
    return names;
  }

  /**
   * A message event. The call tracer knows a message's size on the wire, which is the message's
   * size when it is not compressed (and its compressed size when it is).
   */
  static void message(Span span, String event, long sequence, int wireSize) {
    // A span the sampler dropped records nothing: its attributes would be built for nothing.
    if (span.isRecording()) {
      span.addEvent(event, Attributes.of(SEQUENCE, sequence, SIZE, (long) wireSize));
    }
  }

  static void end(Span span, Status status) {
    if (!span.isRecording()) {
      span.end();
    } else if (status.isOk()) {
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
