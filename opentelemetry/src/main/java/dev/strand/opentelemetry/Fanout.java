package dev.strand.opentelemetry;

import dev.strand.Metadata;
import dev.strand.MethodDescriptor;
import dev.strand.Status;
import dev.strand.opentelemetry.tracing.TracedCall;
import dev.strand.spi.ClientCallTracer;
import dev.strand.spi.ServerCallTracer;
import io.opentelemetry.context.Context;

/** Metrics and tracing on one builder, which takes one tracer: each event goes to both. */
final class Fanout {
  private Fanout() {}

  static ServerCallTracer server(ServerCallTracer metrics, ServerCallTracer tracing) {
    return new ServerCallTracer() {
      @Override
      public Call callStarted(MethodDescriptor<?, ?> method, Metadata headers) {
        return new ServerPair(
            metrics.callStarted(method, headers), tracing.callStarted(method, headers));
      }

      @Override
      public void callRejected(MethodDescriptor<?, ?> method, Status status, long nanos) {
        metrics.callRejected(method, status, nanos);
        tracing.callRejected(method, status, nanos);
      }
    };
  }

  static ClientCallTracer client(ClientCallTracer metrics, ClientCallTracer tracing) {
    return (method, authority) ->
        new ClientPair(
            metrics.callStarted(method, authority), tracing.callStarted(method, authority));
  }

  private record ServerPair(ServerCallTracer.Call metrics, ServerCallTracer.Call tracing)
      implements ServerCallTracer.Call, TracedCall {
    @Override
    public Context context() {
      return TracedCall.contextOf(tracing);
    }

    @Override
    public void inboundMessage(int wireSize) {
      metrics.inboundMessage(wireSize);
      tracing.inboundMessage(wireSize);
    }

    @Override
    public void outboundHeaders(Metadata headers) {
      metrics.outboundHeaders(headers);
      tracing.outboundHeaders(headers);
    }

    @Override
    public void outboundMessage(int wireSize) {
      metrics.outboundMessage(wireSize);
      tracing.outboundMessage(wireSize);
    }

    @Override
    public void closed(Status status, Metadata trailers) {
      metrics.closed(status, trailers);
      tracing.closed(status, trailers);
    }
  }

  private record ClientPair(ClientCallTracer.Call metrics, ClientCallTracer.Call tracing)
      implements ClientCallTracer.Call {
    @Override
    public ClientCallTracer.Attempt attemptStarted(int previousAttempts, boolean transparent) {
      return new AttemptPair(
          metrics.attemptStarted(previousAttempts, transparent),
          tracing.attemptStarted(previousAttempts, transparent));
    }

    @Override
    public void hedging() {
      metrics.hedging();
      tracing.hedging();
    }

    @Override
    public void delayedNameResolutionComplete() {
      metrics.delayedNameResolutionComplete();
      tracing.delayedNameResolutionComplete();
    }

    @Override
    public void closed(Status status, Metadata trailers) {
      metrics.closed(status, trailers);
      tracing.closed(status, trailers);
    }
  }

  private record AttemptPair(ClientCallTracer.Attempt metrics, ClientCallTracer.Attempt tracing)
      implements ClientCallTracer.Attempt {
    @Override
    public void outboundHeaders(Metadata headers) {
      metrics.outboundHeaders(headers);
      tracing.outboundHeaders(headers);
    }

    @Override
    public void delayedPickComplete() {
      metrics.delayedPickComplete();
      tracing.delayedPickComplete();
    }

    @Override
    public void outboundMessage(int wireSize) {
      metrics.outboundMessage(wireSize);
      tracing.outboundMessage(wireSize);
    }

    @Override
    public void inboundHeaders(Metadata headers) {
      metrics.inboundHeaders(headers);
      tracing.inboundHeaders(headers);
    }

    @Override
    public void inboundMessage(int wireSize) {
      metrics.inboundMessage(wireSize);
      tracing.inboundMessage(wireSize);
    }

    @Override
    public void closed(Status status, Metadata trailers) {
      metrics.closed(status, trailers);
      tracing.closed(status, trailers);
    }
  }
}
