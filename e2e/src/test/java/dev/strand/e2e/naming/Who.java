package dev.strand.e2e.naming;

import dev.strand.MethodDescriptor;
import dev.strand.MethodType;
import dev.strand.server.Server;
import dev.strand.server.ServiceDefinition;
import dev.strand.stub.ServerCalls;
import dev.strand.testing.Utf8Marshaller;
import java.io.IOException;

/** A service that answers every call with its server's name: which backend took a call. */
final class Who {
  static final MethodDescriptor<String, String> NAME =
      MethodDescriptor.of(
          MethodType.UNARY,
          "strand.test.Who/Name",
          Utf8Marshaller.INSTANCE,
          Utf8Marshaller.INSTANCE);

  private Who() {}

  /** A server on {@code ip:port} (0: any port) whose calls answer {@code name}. */
  static Server serve(String ip, int port, String name) throws IOException {
    return Server.builder()
        .address(ip, port)
        .service(
            ServiceDefinition.builder("strand.test.Who")
                .method(NAME, ServerCalls.unary(request -> name))
                .build())
        .start();
  }
}
