package dev.strand.e2e.connections;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.server.Server;
import dev.strand.testing.EchoService;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every GOAWAY the server sends is in its log with the error code, the debug data and the client's
 * address, so that a client's "the connection is draining" can be explained from the server side:
 * errors at INFO (seen at the default level), graceful ones at FINE. That includes the GOAWAYs
 * Netty sends itself on connection errors.
 */
@Timeout(30)
class GoAwayLogTest {
  private static final String LOGGER = "dev.strand.netty.http2.GoAwayLog";
  private static final int WINDOW_UPDATE = 8;
  private Server server;

  @BeforeEach
  void start() throws Exception {
    server = Server.builder().address("127.0.0.1", 0).service(EchoService.definition()).start();
  }

  @AfterEach
  void stop() throws InterruptedException {
    server.shutdownNow();
    server.awaitTermination(Duration.ofSeconds(5));
  }

  @Test
  void tooManyPingsIsLoggedAtInfo() throws Exception {
    try (JulCapture log = JulCapture.of(LOGGER);
        RawPeer peer = RawPeer.connect(server.port(), RawPeer.Options.polite())) {
      assertTrue(peer.log().awaitSettings(RawPeer.WAIT));
      // One good ping, two strikes, and the third strike is the end.
      peer.write(
          (w, c) -> {
            for (int i = 0; i < 4; i++) {
              w.writePing(c, false, i, c.newPromise());
            }
          });
      String expected =
          "sent GOAWAY ENHANCE_YOUR_CALM (0xb) to "
              + peer.localAddress()
              + ", last stream 0: 'too_many_pings'";
      assertTrue(log.await(expected, RawPeer.WAIT), "logged: " + log.messages());
    }
  }

  @Test
  void nettysConnectionErrorIsLoggedAtInfo() throws Exception {
    try (JulCapture log = JulCapture.of(LOGGER);
        RawPeer peer = RawPeer.connect(server.port(), RawPeer.Options.polite())) {
      assertTrue(peer.log().awaitSettings(RawPeer.WAIT));
      // A WINDOW_UPDATE of 0 for the connection is a connection error (RFC 9113 6.9).
      peer.write(
          (w, c) -> RawPeer.rawFrame(w, c, WINDOW_UPDATE, 0, 0, Unpooled.buffer(4).writeInt(0)));
      assertTrue(
          log.await("sent GOAWAY PROTOCOL_ERROR (0x1) to " + peer.localAddress(), RawPeer.WAIT),
          "logged: " + log.messages());
      assertTrue(log.messages().get(0).contains("WINDOW_UPDATE"), log.messages().toString());
    }
  }

  @Test
  void gracefulGoAwaysAreLoggedAtFineWithTheirReason() throws Exception {
    Logger logger = Logger.getLogger(LOGGER);
    Level before = logger.getLevel();
    logger.setLevel(Level.FINE);
    try (JulCapture log = JulCapture.of(LOGGER);
        RawPeer peer = RawPeer.connect(server.port(), RawPeer.Options.polite())) {
      assertTrue(peer.log().awaitSettings(RawPeer.WAIT));
      server.shutdown();
      // Both phases: the heads-up with the largest stream id, then the real one.
      String graceful = "sent GOAWAY NO_ERROR (0x0) to " + peer.localAddress();
      assertTrue(
          log.await(graceful + ", last stream 2147483647: 'server_shutdown'", RawPeer.WAIT),
          "logged: " + log.messages());
      assertTrue(
          log.await(graceful + ", last stream 0: 'server_shutdown'", RawPeer.WAIT),
          "logged: " + log.messages());
    } finally {
      logger.setLevel(before);
    }
  }
}
