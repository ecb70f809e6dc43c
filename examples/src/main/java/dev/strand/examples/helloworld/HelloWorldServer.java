package dev.strand.examples.helloworld;

import dev.strand.server.Server;
import dev.strand.server.ServerBuilder;
import dev.strand.services.StandardServices;
import java.time.Duration;

/** {@code HelloWorldServer [port]}: serves Greeter, health and reflection (default port 50051). */
public final class HelloWorldServer {
  private HelloWorldServer() {}

  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 50051;
    ServerBuilder builder = Server.builder().port(port).service(new GreeterService());
    StandardServices.addTo(builder);
    Server server = builder.start();
    System.out.println("Greeter listening on port " + server.port());
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    server.awaitTermination(Duration.ofDays(365));
  }
}
