package dev.strand.e2e.docs;

import dev.strand.client.CallOptions;
import dev.strand.client.Channel;
import dev.strand.client.ManagedChannel;
import dev.strand.stub.ClientCalls;
import java.time.Duration;

/**
 * The code of docs/SERVICE_CONFIG.md. Each region between snippet markers is a block of that page,
 * word for word (DocSnippetsTest checks); ServiceConfigSnippetsRunTest runs every one.
 */
final class ServiceConfigSnippets {
  private ServiceConfigSnippets() {}

  static ManagedChannel channelWithConfig(int port) {
    // snippet:start service-config-channel
    ManagedChannel channel =
        Channel.to("127.0.0.1", port)
            .plaintext()
            .defaultServiceConfig(
                """
                {
                  "methodConfig": [
                    {
                      "name": [{"service": "docs.Greeter"}],
                      "timeout": "2s",
                      "waitForReady": true,
                      "maxRequestMessageBytes": 65536
                    },
                    {
                      "name": [{"service": "docs.Greeter", "method": "SayGoodbye"}],
                      "timeout": "0.5s"
                    }
                  ]
                }
                """)
            .build();
    // snippet:end service-config-channel
    return channel;
  }

  static String failFast(Channel channel) {
    // snippet:start service-config-own-choice
    String reply =
        ClientCalls.blockingUnary(
            channel,
            Greeter.SAY_HELLO,
            CallOptions.DEFAULT
                .withoutWaitForReady() // fail at once while the server is down, config or not
                .withTimeout(Duration.ofSeconds(10)), // cut to the config's 2 s
            "Ada");
    // snippet:end service-config-own-choice
    return reply;
  }

  static IllegalArgumentException badConfig(int port) {
    try {
      // snippet:start service-config-invalid
      Channel.to("127.0.0.1", port)
          .plaintext()
          .defaultServiceConfig(
              "{\"methodConfig\": [{\"name\": [{}], \"retryPolicy\": {\"maxAttempts\": 1}}]}")
          .build();
      // IllegalArgumentException: invalid service config:
      //   methodConfig[0].retryPolicy.maxAttempts: must be at least 2 (the first attempt and one
      //   more), was 1
      // snippet:end service-config-invalid
    } catch (IllegalArgumentException e) {
      return e;
    }
    throw new AssertionError("the config was accepted");
  }
}
