package dev.strand.opentelemetry.metrics;

import dev.strand.Metadata;
import dev.strand.MethodDescriptor;
import dev.strand.Status;
import dev.strand.spi.ServerCallTracer;

/**
 * A66's server instruments: each call's start, duration (from its headers arriving to its status
 * leaving, as the transport sees them) and message bytes. The tracer sees only methods the server
 * has registered, so {@code grpc.method} is always a registered name: a request for anything else
 * is answered UNIMPLEMENTED before any tracer, and is not counted.
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
          startNanos,
          sent,
          received,
          attributes.ended(status));
    }
  }
}
