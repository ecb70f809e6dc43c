package dev.strand.examples.helloworld;

/** A Greeter: one plain method. */
public final class GreeterService implements Greeter {
  @Override
  public HelloReply sayHello(HelloRequest request) {
    return HelloReply.newBuilder().setMessage("Hello " + request.getName()).build();
  }
}
