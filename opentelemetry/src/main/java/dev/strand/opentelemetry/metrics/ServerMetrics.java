package dev.strand.opentelemetry.metrics;

import dev.strand.Metadata;
import dev.strand.MethodDescriptor;
import dev.strand.Status;
import dev.strand.spi.ServerCallTracer;

/**
 * A66's server instruments: each call's start, duration (from its headers arriving to its status
 * leaving, as the transport sees them) and message bytes. {@code grpc.method} is a registered
 * method's name, or "other" for a request naming none (answered UNIMPLEMENTED), as grpc-java has
 * it.
 */
public final class ServerMetrics implements ServerCallTracer {
  private final Instruments instruments;
  private final AttributeSets sets = new AttributeSets(null);

  public ServerMetrics(Instruments instruments) {
    this.instruments = instruments;
  }

  @Override
  public Call callStarted(MethodDescriptor<?, ?> method, Metadata requestHeaders) {
    AttributeSets.Method attributes = sets.of(method.fullName());
    instruments.serverCallStarted.add(1, attributes.started);
    return new CallMetrics(attributes);
  }

  @Override
  public void callRejected(MethodDescriptor<?, ?> method, Status status, long nanos) {
    AttributeSets.Method attributes = sets.of(method == null ? "other" : method.fullName());
    // Not counted as started, as grpc-java counts a call started only once a method has it; its
    // end is recorded. Answered from the headers: no message was read or sent.
    Instruments.recordEnd(
        instruments.serverCallDuration,
        instruments.serverCallSent,
        instruments.serverCallReceived,
        nanos,
        0,
        0,
        attributes.ended(status));
  }

  /** One call's counts. Its events come one after another on the connection's event loop. */
  private final class CallMetrics implements Call {
    private final AttributeSets.Method attributes;
    private final long startNanos = System.nanoTime();
    private long sent;
    private long received;

    CallMetrics(AttributeSets.Method attributes) {
      this.attributes = attributes;
    }

    @Override
    public void inboundMessage(int wireSize) {
      received += wireSize;
    }

    @Override
    public void outboundMessage(int wireSize) {
      sent += wireSize;
    }

    @Override
    public void closed(Status status, Metadata trailers) {
      Instruments.recordEnd(
          instruments.serverCallDuration,
          instruments.serverCallSent,
          instruments.serverCallReceived,
          System.nanoTime() - startNanos,
          sent,
          received,
          attributes.ended(status));
    }
  }
}
