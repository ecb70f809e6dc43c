package dev.strand.e2e.naming;

import dev.strand.MethodDescriptor;
import dev.strand.MethodType;
import dev.strand.server.Server;
import dev.strand.server.ServiceDefinition;
import dev.strand.stub.ServerCalls;
import dev.strand.testing.Utf8Marshaller;
import java.io.IOException;
import java.net.InetSocketAddress;

/** A service that answers every call with its server's name: which backend took a call. */
final class Who {
  static final MethodDescriptor<String, String> NAME =
      MethodDescriptor.of(
          MethodType.UNARY,
          "strand.test.Who/Name",
          Utf8Marshaller.INSTANCE,
          Utf8Marshaller.INSTANCE);

  private Who() {}

  /** The service, answering {@code name}. */
  static ServiceDefinition definition(String name) {
    return ServiceDefinition.builder("strand.test.Who")
        .method(NAME, ServerCalls.unary(request -> name))
        .build();
  }

  /** A server on {@code ip:port} (0: any port) whose calls answer {@code name}. */
  static Server serve(String ip, int port, String name) throws IOException {
    return Server.builder().address(ip, port).service(definition(name)).start();
  }

  /** The same service on grpc-java 1.85.1, a peer among Strand's backends. */
  static io.grpc.Server serveGrpcJava(String ip, int port, String name) throws IOException {
    io.grpc.MethodDescriptor.Marshaller<String> utf8 = dev.strand.e2e.GrpcJavaUtf8.MARSHALLER;
    io.grpc.MethodDescriptor<String, String> method =
        io.grpc.MethodDescriptor.<String, String>newBuilder(utf8, utf8)
            .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(NAME.fullName())
            .build();
    return io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder.forAddress(
            new InetSocketAddress(ip, port))
        .addService(
            io.grpc.ServerServiceDefinition.builder("strand.test.Who")
                .addMethod(
                    method,
                    io.grpc.stub.ServerCalls.asyncUnaryCall(
                        (request, response) -> {
                          response.onNext(name);
                          response.onCompleted();
                        }))
                .build())
        .build()
        .start();
  }
}
