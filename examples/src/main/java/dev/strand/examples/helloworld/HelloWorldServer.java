package dev.strand.examples.helloworld;

import dev.strand.server.Server;
import java.time.Duration;

/** {@code HelloWorldServer [port]}: serves Greeter (default port 50051). */
public final class HelloWorldServer {
  private HelloWorldServer() {}

  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 50051;
    Server server = Server.builder().port(port).service(new GreeterService()).start();
    System.out.println("Greeter listening on port " + server.port());
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    server.awaitTermination(Duration.ofDays(365));
  }
}
