package dev.strand.spi;

import dev.strand.Metadata;
import dev.strand.MethodDescriptor;
import dev.strand.Status;

/**
 * Watches every call a channel makes, from the transport's side: what metrics and tracing
 * (OpenTelemetry, A66) are built on. Set it with {@code ChannelBuilder.tracer}. Its methods run on
 * the connection's event loop, in the order the events happen, and must be quick and never block.
 */
public interface ClientCallTracer {
  /** A call starts; returns what watches it, or null to not watch it. */
  Call callStarted(MethodDescriptor<?, ?> method, String authority);

  /** One call's events, in order; {@link #closed} exactly once, last. */
  interface Call {
    /** The request headers go out (after interceptors added theirs). */
    default void outboundHeaders(Metadata headers) {}

    /** A request message goes out: its size on the wire, compressed if it is, prefix excluded. */
    default void outboundMessage(int wireSize) {}

    /** The response headers arrived. */
    default void inboundHeaders(Metadata headers) {}

    /** A response message arrived: its size on the wire, compressed if it was, prefix excluded. */
    default void inboundMessage(int wireSize) {}

    /** The call is over, however it ended: the status its listener is given. */
    default void closed(Status status, Metadata trailers) {}
  }
}
