package dev.strand.examples.helloworld;

import dev.strand.server.Server;
import dev.strand.server.ServerBuilder;
import dev.strand.services.StandardServices;
import java.time.Duration;

/**
 * {@code HelloWorldServer [port] [host]}: serves Greeter, health and reflection (default 50051 on
 * 127.0.0.1; pass {@code 0.0.0.0} to listen on every interface).
 */
public final class HelloWorldServer {
  private HelloWorldServer() {}

  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 50051;
    String host = args.length > 1 ? args[1] : "127.0.0.1";
    ServerBuilder builder = Server.builder().address(host, port).service(new GreeterService());
    StandardServices.addTo(builder);
    Server server = builder.start();
    System.out.println("Greeter listening on " + host + ":" + server.port());
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    server.awaitTermination(Duration.ofDays(365));
  }
}
