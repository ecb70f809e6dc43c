package dev.strand.examples.observability;

import dev.strand.client.Channel;
import dev.strand.client.ManagedChannel;
import dev.strand.examples.helloworld.GreeterService;
import dev.strand.interceptor.CallLogging;
import dev.strand.opentelemetry.StrandTelemetry;
import dev.strand.server.Server;
import io.opentelemetry.exporter.prometheus.PrometheusHttpServer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.io.IOException;
import java.time.Duration;

/**
 * {@code ObservedGreeter [grpcPort] [metricsPort]}: the Greeter with gRPC's OpenTelemetry metrics
 * and traces, its metrics served for Prometheus on {@code http://127.0.0.1:metricsPort/metrics}
 * (defaults 50051 and 9464). A channel to itself is measured too, so one call shows both sides.
 */
public final class ObservedGreeter implements AutoCloseable {
  private final OpenTelemetrySdk sdk;
  private final PrometheusHttpServer prometheus;
  private final Server server;
  private final ManagedChannel channel;
  private final String metricsUrl;

  private ObservedGreeter(String host, int grpcPort, int metricsPort) throws IOException {
    if (metricsPort == 0) {
      metricsPort = freePort(host); // the exporter does not say which port it bound
    }
    metricsUrl = "http://" + host + ":" + metricsPort + "/metrics";
    // snippet:start observability-setup
    prometheus = PrometheusHttpServer.builder().setHost(host).setPort(metricsPort).build();
    sdk =
        OpenTelemetrySdk.builder()
            .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(prometheus).build())
            .setTracerProvider(SdkTracerProvider.builder().build())
            .build();
    StrandTelemetry telemetry = StrandTelemetry.create(sdk);
    server =
        telemetry
            .configure(Server.builder().address(host, grpcPort))
            .interceptor(CallLogging.server(StrandTelemetry.mdcFields()))
            .service(new GreeterService())
            .start();
    channel = telemetry.configure(Channel.to(host, server.port()).plaintext()).build();
    // snippet:end observability-setup
  }

  /** Starts the server, its channel and the metrics endpoint ({@code metricsPort} 0: any free). */
  public static ObservedGreeter start(String host, int grpcPort, int metricsPort)
      throws IOException {
    return new ObservedGreeter(host, grpcPort, metricsPort);
  }

  public Server server() {
    return server;
  }

  /** A channel to this server, measured as a client. */
  public ManagedChannel channel() {
    return channel;
  }

  /** Where Prometheus scrapes. */
  public String metricsUrl() {
    return metricsUrl;
  }

  private static int freePort(String host) throws IOException {
    try (java.net.ServerSocket socket =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(host))) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    channel.close();
    server.close();
    sdk.close(); // stops the Prometheus endpoint with the meter provider
  }

  public static void main(String[] args) throws Exception {
    int grpcPort = args.length > 0 ? Integer.parseInt(args[0]) : 50051;
    int metricsPort = args.length > 1 ? Integer.parseInt(args[1]) : 9464;
    ObservedGreeter greeter = start("127.0.0.1", grpcPort, metricsPort);
    System.out.println(
        "Greeter listening on 127.0.0.1:"
            + greeter.server().port()
            + ", metrics on "
            + greeter.metricsUrl());
    Runtime.getRuntime().addShutdownHook(new Thread(greeter::close));
    greeter.server().awaitTermination(Duration.ofDays(365));
  }
}
