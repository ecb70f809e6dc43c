package dev.strand.e2e.docs;

import dev.strand.client.Channel;
import dev.strand.client.ManagedChannel;
import dev.strand.interceptor.CallLogging;
import dev.strand.opentelemetry.StrandTelemetry;
import dev.strand.server.Server;
import dev.strand.server.ServiceDefinition;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.io.IOException;

/** The code of docs/OBSERVABILITY.md; see {@link DeadlineSnippets} for how it is kept honest. */
final class ObservabilitySnippets {
  private ObservabilitySnippets() {}

  static Server server(OpenTelemetry openTelemetry, ServiceDefinition service) throws IOException {
    // snippet:start observability-server
    StrandTelemetry telemetry = StrandTelemetry.create(openTelemetry);
    // configure() first: interceptors added after it run inside the call's span;
    // CallLogging's lines get the call's trace_id and span_id in the MDC.
    Server server =
        telemetry
            .configure(Server.builder().address("127.0.0.1", 0))
            .interceptor(CallLogging.server(StrandTelemetry.mdcFields()))
            .service(service)
            .start();
    // snippet:end observability-server
    return server;
  }

  static ManagedChannel channel(OpenTelemetry openTelemetry, int port) {
    // snippet:start observability-channel
    ManagedChannel channel =
        StrandTelemetry.create(openTelemetry)
            .configure(Channel.to("127.0.0.1:" + port).plaintext())
            .build();
    // snippet:end observability-channel
    return channel;
  }

  static ContextPropagators propagators() {
    // snippet:start observability-propagators
    // W3C traceparent for everyone, grpc-trace-bin too for peers still on OpenCensus.
    ContextPropagators propagators =
        ContextPropagators.create(
            TextMapPropagator.composite(
                W3CTraceContextPropagator.getInstance(), StrandTelemetry.grpcTraceBin()));
    // snippet:end observability-propagators
    return propagators;
  }
}
