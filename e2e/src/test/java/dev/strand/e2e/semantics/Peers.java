package dev.strand.e2e.semantics;

import dev.strand.client.Channel;
import dev.strand.client.ChannelBuilder;
import dev.strand.client.ManagedChannel;
import dev.strand.server.Server;
import dev.strand.server.ServerBuilder;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Starts the two peers on loopback cleartext and stops, in reverse order, everything a test
 * started: one instance per test, closed in {@code @AfterEach}. Shutdowns are immediate ({@code
 * shutdownNow}) so a failed test never waits out a graceful drain.
 */
final class Peers implements AutoCloseable {
  static final String HOST = "127.0.0.1";

  private final Deque<AutoCloseable> started = new ArrayDeque<>();

  // ---- Strand ----

  static ServerBuilder strandServer() {
    return Server.builder().address(HOST, 0);
  }

  Server start(ServerBuilder builder) throws IOException {
    Server server = builder.start();
    started.push(
        () -> {
          server.shutdownNow();
          server.awaitTermination(Duration.ofSeconds(5));
        });
    return server;
  }

  static ChannelBuilder strandChannel(int port) {
    return Channel.to(HOST, port).plaintext();
  }

  ManagedChannel start(ChannelBuilder builder) {
    ManagedChannel channel = builder.build();
    started.push(
        () -> {
          channel.shutdownNow();
          channel.awaitTermination(Duration.ofSeconds(5));
        });
    return channel;
  }

  ManagedChannel strandChannelTo(int port) {
    return start(strandChannel(port));
  }

  // ---- grpc-java ----

  static NettyServerBuilder grpcServer() {
    return NettyServerBuilder.forAddress(new InetSocketAddress(HOST, 0));
  }

  io.grpc.Server start(NettyServerBuilder builder) {
    try {
      io.grpc.Server server = builder.build().start();
      started.push(
          () -> {
            server.shutdownNow();
            server.awaitTermination(5, TimeUnit.SECONDS);
          });
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  io.grpc.Server grpcServerWith(ServerServiceDefinition service) {
    return start(grpcServer().addService(service));
  }

  static NettyChannelBuilder grpcChannel(int port) {
    return NettyChannelBuilder.forAddress(HOST, port).usePlaintext();
  }

  io.grpc.ManagedChannel start(NettyChannelBuilder builder) {
    io.grpc.ManagedChannel channel = builder.build();
    started.push(
        () -> {
          channel.shutdownNow();
          channel.awaitTermination(5, TimeUnit.SECONDS);
        });
    return channel;
  }

  io.grpc.ManagedChannel grpcChannelTo(int port) {
    return start(grpcChannel(port));
  }

  // ---- anything else ----

  <T extends AutoCloseable> T add(T resource) {
    started.push(resource);
    return resource;
  }

  <T extends ExecutorService> T addExecutor(T executor) {
    started.push(
        () -> {
          executor.shutdownNow();
          executor.awaitTermination(5, TimeUnit.SECONDS);
        });
    return executor;
  }

  @Override
  public void close() throws Exception {
    Exception first = null;
    while (!started.isEmpty()) {
      try {
        started.pop().close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
