package dev.strand.e2e.connections;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.strand.testing.EchoService;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/** grpc-java's view of core's EchoService (strings on the wire), and a plaintext channel to it. */
final class GrpcJavaEcho {
  static final MethodDescriptor.Marshaller<String> UTF8 =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(String value) {
          return new ByteArrayInputStream(value.getBytes(UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
          try {
            return new String(stream.readAllBytes(), UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };

  static final MethodDescriptor<String, String> UNARY =
      MethodDescriptor.<String, String>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName(EchoService.UNARY.fullName())
          .setRequestMarshaller(UTF8)
          .setResponseMarshaller(UTF8)
          .build();

  private GrpcJavaEcho() {}

  static NettyChannelBuilder channel(int port) {
    return NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext();
  }

  /**
   * A plaintext channel builder for a Strand server's address: loopback TCP, or a Unix domain
   * socket through grpc-java's shaded native epoll, whose event loop {@code unixGroup} the caller
   * owns and shuts down.
   */
  static NettyChannelBuilder channel(SocketAddress address, EventLoopGroup unixGroup) {
    if (address instanceof io.netty.channel.unix.DomainSocketAddress uds) {
      return NettyChannelBuilder.forAddress(new DomainSocketAddress(uds.path()))
          .eventLoopGroup(unixGroup)
          .channelType(EpollDomainSocketChannel.class, DomainSocketAddress.class)
          .usePlaintext();
    }
    return channel(((InetSocketAddress) address).getPort());
  }

  /** One blocking unary call with a deadline. */
  static String unary(io.grpc.Channel channel, String request, Duration deadline) {
    return ClientCalls.blockingUnaryCall(
        channel,
        UNARY,
        CallOptions.DEFAULT.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS),
        request);
  }

  /** The same echo on a grpc-java server: "echo:" + request. */
  static ServerServiceDefinition service() {
    return ServerServiceDefinition.builder(EchoService.NAME)
        .addMethod(
            UNARY,
            ServerCalls.asyncUnaryCall(
                (request, response) -> {
                  response.onNext("echo:" + request);
                  response.onCompleted();
                }))
        .build();
  }

  /** A plaintext grpc-java server on loopback, configured by {@code config}. */
  static Server server(UnaryOperator<NettyServerBuilder> config) throws IOException {
    return config
        .apply(
            NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(service()))
        .build()
        .start();
  }

  static void close(Server server) throws InterruptedException {
    if (server != null) {
      server.shutdownNow();
      server.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  static void close(ManagedChannel channel) throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow();
      channel.awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
