/**
 * gRPC's OpenTelemetry metrics (A66) and tracing (A72) for Strand: {@code StrandTelemetry} puts
 * them on a server builder or a channel builder in one line. Built on core's call-tracer SPI and
 * interceptors; core knows nothing of OpenTelemetry.
 */
module dev.strand.opentelemetry {
  requires transitive dev.strand.core;
  requires transitive io.opentelemetry.api;
  requires transitive io.opentelemetry.context;

  exports dev.strand.opentelemetry;
}
