package dev.strand.e2e.connections;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strand.client.CallOptions;
import dev.strand.client.Channel;
import dev.strand.client.ManagedChannel;
import dev.strand.server.Server;
import dev.strand.stub.ClientCalls;
import dev.strand.testing.EchoService;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Strand server on a Unix domain socket, called by grpc-java (its shaded native epoll transport,
 * EpollDomainSocketChannel) and by a Strand channel with a "unix:" target.
 */
@Timeout(30)
class UnixDomainSocketTest {
  @TempDir Path dir;

  @Test
  void grpcJavaAndStrandClientsOverUnixSocket() throws Exception {
    Path socket = dir.resolve("strand.sock");
    Server server = Server.builder().unixSocket(socket).service(EchoService.definition()).start();
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    io.grpc.ManagedChannel grpcJava = GrpcJavaEcho.channel(server.address(), group).build();
    ManagedChannel strand = Channel.to("unix://" + socket).plaintext().build();
    try {
      assertEquals(
          "echo:grpc-java", GrpcJavaEcho.unary(grpcJava, "grpc-java", Duration.ofSeconds(5)));
      assertEquals(
          "echo:strand",
          ClientCalls.blockingUnary(
              strand,
              EchoService.UNARY,
              CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(5)),
              "strand"));
    } finally {
      GrpcJavaEcho.close(grpcJava);
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
      strand.shutdownNow();
      strand.awaitTermination(Duration.ofSeconds(5));
      server.shutdownNow();
      server.awaitTermination(Duration.ofSeconds(5));
    }
  }
}
