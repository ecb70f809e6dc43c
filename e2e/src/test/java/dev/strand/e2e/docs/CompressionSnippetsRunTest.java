package dev.strand.e2e.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strand.client.CallOptions;
import dev.strand.client.Channel;
import dev.strand.client.ManagedChannel;
import dev.strand.server.Server;
import dev.strand.server.ServiceDefinition;
import dev.strand.stub.ClientCalls;
import dev.strand.stub.ServerCalls;
import dev.strand.stub.StreamSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs the snippets of docs/COMPRESSION.md. What goes over the wire is proven by
 * dev.strand.e2e.semantics (CompressionNegotiationTest and friends); here the snippets run.
 */
@Timeout(30)
class CompressionSnippetsRunTest {
  private final CompressionSnippets snippets = new CompressionSnippets();
  private static final String BIG = "Ada ".repeat(1000);

  private ServiceDefinition greeter() {
    return ServiceDefinition.builder(Greeter.SERVICE)
        .method(Greeter.SAY_HELLO, ServerCalls.unary(snippets::sayHello))
        .method(Greeter.LOTS_OF_REPLIES, ServerCalls.serverStreaming(snippets::lotsOfReplies))
        .build();
  }

  @Test
  void channelCallServerAndHandlerCompression() throws Exception {
    try (Server server = CompressionSnippets.gzipServer(greeter());
        ManagedChannel channel = CompressionSnippets.gzipChannel(server.port())) {
      assertEquals("Hello " + BIG + "Hello Ada", CompressionSnippets.perCall(channel, BIG));
      List<String> replies = new ArrayList<>();
      try (StreamSource<String> stream =
          ClientCalls.serverStream(
              channel,
              Greeter.LOTS_OF_REPLIES,
              CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(5)),
              "Ada")) {
        stream.forEach(replies::add);
      }
      assertEquals(3, replies.size());
      assertEquals("Goodbye Ada", replies.get(2));
    }
  }

  @Test
  void aRegisteredCodecIsUsedBothWays() throws Exception {
    CompressionSnippets.install();
    try (Server server =
            Server.builder()
                .address("127.0.0.1", 0)
                .compression("x-deflate")
                .service(greeter())
                .start();
        ManagedChannel channel = Channel.to("127.0.0.1", server.port()).plaintext().build()) {
      assertEquals(
          "Hello " + BIG,
          ClientCalls.blockingUnary(
              channel,
              Greeter.SAY_HELLO,
              CallOptions.DEFAULT.withCompression("x-deflate").withTimeout(Duration.ofSeconds(5)),
              BIG));
    }
  }

  @Test
  void messageSizeLimits() throws Exception {
    String twoMib = "x".repeat(2 * 1024 * 1024);
    ServiceDefinition reports =
        ServiceDefinition.builder(Greeter.SERVICE)
            .method(Greeter.SAY_HELLO, ServerCalls.unary(name -> twoMib))
            .build();
    assertEquals(twoMib.length(), CompressionSnippets.limits(reports).length());
  }
}
