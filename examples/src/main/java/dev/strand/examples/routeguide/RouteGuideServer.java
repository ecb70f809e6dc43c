package dev.strand.examples.routeguide;

import dev.strand.server.Server;
import dev.strand.server.ServerBuilder;
import dev.strand.services.StandardServices;
import java.io.IOException;

/**
 * Serves RouteGuide: {@code RouteGuideServer [port] [host]} (default 50051 on 127.0.0.1). Loopback
 * by default because reflection describes the whole API to anyone who reaches the port; pass {@code
 * 0.0.0.0} to listen on every interface.
 */
public final class RouteGuideServer {
  private RouteGuideServer() {}

  /** Serves RouteGuide, plus health and reflection so that grpcurl can explore it. */
  public static Server start(String host, int port) throws IOException {
    ServerBuilder builder =
        Server.builder().address(host, port).service(new RouteGuideService(Features.load()));
    StandardServices.addTo(builder);
    return builder.start();
  }

  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 50051;
    String host = args.length > 1 ? args[1] : "127.0.0.1";
    Server server = start(host, port);
    System.out.println("RouteGuide server listening on " + host + ":" + server.port());
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    server.awaitTermination(java.time.Duration.ofDays(365));
  }
}
