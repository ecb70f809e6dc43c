package dev.strand.services;

import dev.strand.client.Channel;
import dev.strand.client.ManagedChannel;
import dev.strand.server.Server;
import dev.strand.server.ServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Starts and stops the two peers of these tests on loopback, cleartext: a Strand server or channel,
 * and grpc-java (the reference implementation) as the other side. Every wait is bounded.
 */
public final class Peers {
  public static final String HOST = "127.0.0.1";

  private Peers() {}

  /** A Strand server builder on a free loopback port. */
  public static ServerBuilder strandServer() {
    return Server.builder().address(HOST, 0);
  }

  public static ManagedChannel strandChannel(int port) {
    return Channel.to(HOST, port).plaintext().build();
  }

  public static io.grpc.ManagedChannel grpcJavaChannel(int port) {
    return NettyChannelBuilder.forAddress(HOST, port).usePlaintext().build();
  }

  public static io.grpc.Server grpcJavaServer(io.grpc.ServerServiceDefinition service) {
    try {
      return NettyServerBuilder.forAddress(new InetSocketAddress(HOST, 0))
          .addService(service)
          .build()
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops a Strand server: gracefully, then forcibly, five seconds for each. */
  public static void close(Server server) {
    if (server != null) {
      server.close();
    }
  }

  public static void close(ManagedChannel channel) {
    if (channel != null) {
      channel.close();
    }
  }

  public static void close(io.grpc.ManagedChannel channel) throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow();
      channel.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  public static void close(io.grpc.Server server) throws InterruptedException {
    if (server != null) {
      server.shutdownNow();
      server.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /** A deadline for one call made by a test: long enough for a slow machine, never endless. */
  public static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
}
