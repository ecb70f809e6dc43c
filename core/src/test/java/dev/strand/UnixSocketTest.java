package dev.strand;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strand.client.CallOptions;
import dev.strand.client.Channel;
import dev.strand.client.ManagedChannel;
import dev.strand.netty.loop.EventLoops;
import dev.strand.server.Server;
import dev.strand.stub.ClientCalls;
import dev.strand.testing.EchoService;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnixSocketTest {
  @Test
  void serverAndClientOverAUnixDomainSocket(@TempDir Path dir) throws Exception {
    assumeTrue(EventLoops.usingEpoll(), "Unix domain sockets need native epoll");
    Path socket = dir.resolve("strand.sock");
    try (Server server =
            Server.builder().unixSocket(socket).service(EchoService.definition()).start();
        ManagedChannel channel = Channel.to("unix://" + socket).plaintext().build()) {
      assertEquals(-1, server.port());
      assertEquals(
          "echo:uds",
          ClientCalls.blockingUnary(channel, EchoService.UNARY, CallOptions.DEFAULT, "uds"));
      assertEquals("localhost", channel.authority());
    }
  }
}
