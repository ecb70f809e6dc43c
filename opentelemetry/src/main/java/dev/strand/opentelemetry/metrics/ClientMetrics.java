package dev.strand.opentelemetry.metrics;

import dev.strand.Metadata;
import dev.strand.MethodDescriptor;
import dev.strand.Status;
import dev.strand.spi.ClientCallTracer;
import java.util.function.Predicate;

/**
 * A66's client instruments for one channel: a call's duration as the application sees it, and each
 * attempt's start, duration and message bytes (retries and hedges are attempts of one call).
 */
public final class ClientMetrics implements ClientCallTracer {
  private final Instruments instruments;
  private final AttributeSets sets;
  private final Predicate<MethodDescriptor<?, ?>> recordMethodName;

  /**
   * {@code recordMethodName}: whether a method's name is the {@code grpc.method} value; "other"
   * where it says no.
   */
  public ClientMetrics(
      Instruments instruments, String target, Predicate<MethodDescriptor<?, ?>> recordMethodName) {
    this.instruments = instruments;
    this.sets = new AttributeSets(target);
    this.recordMethodName = recordMethodName;
  }

  @Override
  public Call callStarted(MethodDescriptor<?, ?> method, String authority) {
    String name = recordMethodName.test(method) ? method.fullName() : "other";
    return new CallMetrics(sets.of(name));
  }

  private final class CallMetrics implements Call {
    private final AttributeSets.Method attributes;
    private final long startNanos = System.nanoTime();

    CallMetrics(AttributeSets.Method attributes) {
      this.attributes = attributes;
    }

    @Override
    public Attempt attemptStarted(int previousAttempts, boolean transparentRetry) {
      instruments.clientAttemptStarted.add(1, attributes.started);
      return new AttemptMetrics(attributes);
    }

    @Override
    public void closed(Status status, Metadata trailers) {
      instruments.clientCallDuration.record(
          Instruments.seconds(System.nanoTime() - startNanos), attributes.ended(status));
    }
  }

  /** One attempt's counts. Its events come one after another, each after the one before. */
  private final class AttemptMetrics implements Attempt {
    private final AttributeSets.Method attributes;
    private final long startNanos = System.nanoTime();
    private long sent;
    private long received;

    AttemptMetrics(AttributeSets.Method attributes) {
      this.attributes = attributes;
    }

    @Override
    public void outboundMessage(int wireSize) {
      sent += wireSize;
    }

    @Override
    public void inboundMessage(int wireSize) {
      received += wireSize;
    }

    @Override
    public void closed(Status status, Metadata trailers) {
      Instruments.recordEnd(
          instruments.clientAttemptDuration,
          instruments.clientAttemptSent,
          instruments.clientAttemptReceived,
          System.nanoTime() - startNanos,
          sent,
          received,
          attributes.ended(status));
    }
  }
}
