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
  private final RetryInstruments retries;

  /**
   * {@code recordMethodName}: whether a method's name is the {@code grpc.method} value; "other"
   * where it says no. {@code retries}: A96's instruments, or null to not record them.
   */
  public ClientMetrics(
      Instruments instruments,
      String target,
      Predicate<MethodDescriptor<?, ?>> recordMethodName,
      RetryInstruments retries) {
    this.instruments = instruments;
    this.retries = retries;
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

    // A96's counts, kept only if asked for. Guarded by this: attempts start on the caller's
    // thread or a timer and end on an event loop.
    private boolean hedged;
    private int attempts;
    private int transparent;
    private int active;
    private long idleSinceNanos;
    private long delayNanos;

    CallMetrics(AttributeSets.Method attributes) {
      this.attributes = attributes;
    }

    @Override
    public Attempt attemptStarted(int previousAttempts, boolean transparentRetry) {
      instruments.clientAttemptStarted.add(1, attributes.started);
      if (retries != null) {
        synchronized (this) {
          if (transparentRetry) {
            transparent++;
          } else {
            attempts++;
          }
          if (active++ == 0 && idleSinceNanos != 0) {
            delayNanos += System.nanoTime() - idleSinceNanos;
          }
        }
      }
      return new AttemptMetrics(this);
    }

    @Override
    public synchronized void hedging() {
      hedged = true;
    }

    /** An attempt ended: from now until the next starts, the call waits (A96's retry delay). */
    void attemptEnded() {
      if (retries != null) {
        synchronized (this) {
          if (--active == 0) {
            idleSinceNanos = System.nanoTime();
          }
        }
      }
    }

    @Override
    public void closed(Status status, Metadata trailers) {
      instruments.clientCallDuration.record(
          Instruments.seconds(System.nanoTime() - startNanos), attributes.ended(status));
      if (retries != null) {
        recordRetries();
      }
    }

    /** A96: counts only where there were some (no retries, no point); the delay always. */
    private synchronized void recordRetries() {
      int again = attempts - 1;
      if (again > 0) {
        (hedged ? retries.hedges : retries.retries).record(again, attributes.started);
      }
      if (transparent > 0) {
        retries.transparentRetries.record(transparent, attributes.started);
      }
      // Every call, 0 for one that never waited: as grpc-java records it.
      retries.retryDelay.record(Instruments.seconds(delayNanos), attributes.started);
    }
  }

  /** One attempt's counts. Its events come one after another, each after the one before. */
  private final class AttemptMetrics implements Attempt {
    private final CallMetrics call;
    private final long startNanos = System.nanoTime();
    private long sent;
    private long received;

    AttemptMetrics(CallMetrics call) {
      this.call = call;
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
          call.attributes.ended(status));
      call.attemptEnded();
    }
  }
}
