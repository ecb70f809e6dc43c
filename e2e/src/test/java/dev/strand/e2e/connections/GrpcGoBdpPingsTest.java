package dev.strand.e2e.connections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.e2e.TestCerts;
import dev.strand.server.Server;
import dev.strand.server.ServerBuilder;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 20, item 3: grpc-go's client got "the connection is draining" (a GOAWAY) from Strand's
 * interop server during server_compressed_unary. grpc-go pings whenever DATA arrives and none of
 * its BDP pings is unanswered, so a 314159-byte response that leaves in window-sized pieces is
 * followed by a ping every round trip. A8 forgives pings after every HEADERS or DATA frame the
 * server *sends*; a server that forgives only when a response is queued counts the second and later
 * pings of one response as strikes, and the fourth is "too_many_pings". With Strand's default
 * settings, 200 fresh connections running the interop cases' shapes each must see no GOAWAY at all.
 */
@Timeout(300)
class GrpcGoBdpPingsTest {
  private static final int CONNECTIONS = 200;

  @Test
  void plaintextConnectionsGetNoGoAway() throws Exception {
    run(false);
  }

  @Test
  void tlsConnectionsGetNoGoAway() throws Exception {
    run(true);
  }

  private static void run(boolean tls) throws Exception {
    ServerBuilder builder =
        Server.builder().address("127.0.0.1", 0).service(InteropShapes.definition());
    if (tls) {
      builder.tls(TestCerts.SERVER_CERT, TestCerts.SERVER_KEY);
    }
    Server server = builder.start();
    long pings = 0;
    long start = System.nanoTime();
    try {
      for (int i = 0; i < CONNECTIONS; i++) {
        try (GrpcGoLikeClient client = GrpcGoLikeClient.connect(server.port(), tls)) {
          client.interopCases();
          client.sync();
          PeerLog log = client.log();
          assertEquals(List.of(), log.goAways(), "connection " + i + ": " + log);
          assertFalse(log.closed(), "connection " + i + " was closed: " + log);
          assertTrue(log.bdpPingsSent() > 0, "connection " + i + " never pinged: " + log);
          pings += log.bdpPingsSent();
        }
      }
    } finally {
      server.shutdownNow();
      server.awaitTermination(Duration.ofSeconds(5));
    }
    System.out.println(
        "[bdp pings] "
            + (tls ? "TLS" : "plaintext")
            + ": "
            + CONNECTIONS
            + " connections, "
            + pings
            + " BDP pings, no GOAWAY, in "
            + (System.nanoTime() - start) / 1_000_000
            + " ms");
  }
}
