package dev.strand.spi;

import dev.strand.Metadata;
import dev.strand.MethodDescriptor;
import dev.strand.Status;

/**
 * Watches every call a server serves, from the transport's side: what metrics and tracing
 * (OpenTelemetry, A66) are built on. It sees what interceptors cannot: message sizes as they were
 * on the wire, and the end of calls that never reached a handler. Set it with {@code
 * ServerBuilder.tracer}. Its methods run on the connection's event loop, in the order the events
 * happen, and must be quick and never block.
 */
public interface ServerCallTracer {
  /** A call arrived for a known method; returns what watches it, or null to not watch it. */
  Call callStarted(MethodDescriptor<?, ?> method, Metadata requestHeaders);

  /**
   * A gRPC request the server answered from its headers alone, before any call began: {@code
   * method} is null if it names none the server has (its name is the client's to choose, so a
   * tracer should not record it as it is), else the request was malformed (its timeout or
   * encoding). The status has been sent; {@code nanos} passed since the headers arrived.
   */
  default void callRejected(MethodDescriptor<?, ?> method, Status status, long nanos) {}

  /** One call's events, in order; {@link #closed} exactly once, last. */
  interface Call {
    /** A request message arrived: its size on the wire, compressed if it was, prefix excluded. */
    default void inboundMessage(int wireSize) {}

    /** The response headers go out. */
    default void outboundHeaders(Metadata headers) {}

    /** A response message goes out: its size on the wire, compressed if it is, prefix excluded. */
    default void outboundMessage(int wireSize) {}

    /** The call is over, however it ended: the status the client was sent (or would have been). */
    default void closed(Status status, Metadata trailers) {}
  }
}
