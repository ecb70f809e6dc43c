package dev.strand.examples.routeguide;

import dev.strand.server.Server;
import java.io.IOException;

/** Serves RouteGuide on a port: {@code RouteGuideServer [port]} (default 50051). */
public final class RouteGuideServer {
  private RouteGuideServer() {}

  public static Server start(String host, int port) throws IOException {
    return Server.builder()
        .address(host, port)
        .service(new RouteGuideService(Features.load()))
        .start();
  }

  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 50051;
    Server server = start("0.0.0.0", port);
    System.out.println("RouteGuide server listening on port " + server.port());
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    server.awaitTermination(java.time.Duration.ofDays(365));
  }
}
