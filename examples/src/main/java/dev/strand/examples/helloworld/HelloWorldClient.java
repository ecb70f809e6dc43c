package dev.strand.examples.helloworld;

import dev.strand.client.Channel;
import dev.strand.client.ManagedChannel;

/** {@code HelloWorldClient [name] [target]}: says hello to a Greeter. */
public final class HelloWorldClient {
  private HelloWorldClient() {}

  public static void main(String[] args) {
    String name = args.length > 0 ? args[0] : "world";
    String target = args.length > 1 ? args[1] : "localhost:50051";
    try (ManagedChannel channel = Channel.to(target).plaintext().build()) {
      HelloReply reply =
          Greeter.client(channel).sayHello(HelloRequest.newBuilder().setName(name).build());
      System.out.println(reply.getMessage());
    }
  }
}
