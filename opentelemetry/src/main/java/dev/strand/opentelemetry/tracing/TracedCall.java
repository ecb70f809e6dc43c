package dev.strand.opentelemetry.tracing;

import dev.strand.spi.ServerCallTracer;
import io.opentelemetry.context.Context;

/** A server call's tracer view that knows the context (with the call's span) to run it in. */
public interface TracedCall {
  Context context();

  /** The context of a call as its tracer saw it, or null if it is not traced. */
  static Context contextOf(ServerCallTracer.Call call) {
    return call instanceof TracedCall traced ? traced.context() : null;
  }
}
