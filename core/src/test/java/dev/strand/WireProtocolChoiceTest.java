package dev.strand;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.client.Channel;
import dev.strand.client.ManagedChannel;
import dev.strand.client.WireProtocol;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A channel's protocol picks its transport; core alone speaks gRPC and says what is missing. */
class WireProtocolChoiceTest {
  @Test
  void aWebProtocolWithoutStrandWebFailsAtBuildNamingTheModule() {
    for (WireProtocol web : new WireProtocol[] {WireProtocol.GRPC_WEB, WireProtocol.CONNECT}) {
      IllegalStateException missing =
          assertThrows(
              IllegalStateException.class,
              () -> Channel.to("127.0.0.1:1").plaintext().protocol(web).build());
      assertTrue(missing.getMessage().contains(web.name()), missing.getMessage());
      assertTrue(missing.getMessage().contains("strand-web"), missing.getMessage());
    }
  }

  @Test
  void grpcIsTheDefaultAndTheNettyTransportSpeaksIt() throws InterruptedException {
    ManagedChannel channel = Channel.to("127.0.0.1:1").plaintext().build();
    try {
      assertEquals("127.0.0.1:1", channel.authority());
    } finally {
      channel.shutdownNow();
      assertTrue(channel.awaitTermination(Duration.ofSeconds(5)));
    }
    assertThrows(NullPointerException.class, () -> Channel.to("x:1").protocol(null));
  }
}
