package dev.strand;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.client.CallOptions;
import dev.strand.client.Channel;
import dev.strand.client.ManagedChannel;
import dev.strand.server.Server;
import dev.strand.stub.ClientCalls;
import dev.strand.testing.EchoService;
import org.junit.jupiter.api.Test;

class CompressionTest {
  static final String BIG = "compress me ".repeat(10_000);

  @Test
  void gzipBothWaysRoundTrips() throws Exception {
    try (Server server =
            Server.builder()
                .address("127.0.0.1", 0)
                .compression("gzip")
                .service(EchoService.definition())
                .start();
        ManagedChannel channel =
            Channel.to("127.0.0.1", server.port()).plaintext().compression("gzip").build()) {
      assertEquals(
          "echo:" + BIG,
          ClientCalls.blockingUnary(channel, EchoService.UNARY, CallOptions.DEFAULT, BIG));
      assertEquals(
          "echo:" + BIG,
          ClientCalls.blockingUnary(
              channel, EchoService.UNARY, CallOptions.DEFAULT.withCompression("identity"), BIG));
    }
  }

  @Test
  void decompressedSizeOverTheLimitIsRejectedWithoutInflatingIt() throws Exception {
    // 8 MiB of zeros gzips to a few KB: the wire size is small, the inflated size is not.
    String bomb = "\0".repeat(8 * 1024 * 1024);
    try (Server server =
            Server.builder().address("127.0.0.1", 0).service(EchoService.definition()).start();
        ManagedChannel channel = Channel.to("127.0.0.1", server.port()).plaintext().build()) {
      StatusException e =
          assertThrows(
              StatusException.class,
              () ->
                  ClientCalls.blockingUnary(
                      channel,
                      EchoService.UNARY,
                      CallOptions.DEFAULT.withCompression("gzip"),
                      bomb));
      assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.code());
      assertTrue(e.status().description().contains("4194304"), e.status().description());
      assertEquals(
          "echo:ok",
          ClientCalls.blockingUnary(channel, EchoService.UNARY, CallOptions.DEFAULT, "ok"));
    }
  }
}
