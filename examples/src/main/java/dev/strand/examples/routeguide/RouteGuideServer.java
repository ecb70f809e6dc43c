package dev.strand.examples.routeguide;

import dev.strand.server.Server;
import dev.strand.server.ServerBuilder;
import dev.strand.services.StandardServices;
import java.io.IOException;

/** Serves RouteGuide on a port: {@code RouteGuideServer [port]} (default 50051). */
public final class RouteGuideServer {
  private RouteGuideServer() {}

  /** Serves RouteGuide, plus health and reflection so that grpcurl can explore it. */
  public static Server start(String host, int port) throws IOException {
    ServerBuilder builder = Server.builder()
        .address(host, port)
        .service(new RouteGuideService(Features.load()));
    StandardServices.addTo(builder);
    return builder.start();
  }

  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 50051;
    Server server = start("0.0.0.0", port);
    System.out.println("RouteGuide server listening on port " + server.port());
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    server.awaitTermination(java.time.Duration.ofDays(365));
  }
}
