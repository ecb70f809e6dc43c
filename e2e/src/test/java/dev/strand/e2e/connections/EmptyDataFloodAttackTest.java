package dev.strand.e2e.connections;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.testing.EchoService;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.Http2Error;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * CVE-2019-9518, "Empty Frames Flood": DATA frames with no payload and no END_STREAM cost the
 * server a frame's worth of work each and carry nothing, so flow control never pushes back. Netty's
 * decoder (kept by Strand's handler builder) allows two in a row; the third is an ENHANCE_YOUR_CALM
 * connection error.
 */
@Timeout(30)
class EmptyDataFloodAttackTest {
  private static final int FRAMES = 20_000;
  private static final int PER_FLUSH = 100;

  @Test
  void emptyDataFramesAreCutOffAtTheThird() throws Exception {
    try (AttackScene scene = AttackScene.start(b -> b)) {
      RawPeer attacker = scene.attacker(RawPeer.Options.polite());
      int stream = attacker.newStreamId();
      // A client-streaming call: the server waits for request DATA, so the stream stays open.
      attacker.writeHeaders(stream, RawPeer.request(EchoService.CLIENT_STREAM.fullName()), false);

      int sent =
          attacker.flood(
              FRAMES,
              PER_FLUSH,
              Duration.ofSeconds(10),
              (w, c, i) -> w.writeData(c, stream, Unpooled.EMPTY_BUFFER, 0, false, c.newPromise()));

      assertTrue(
          attacker.awaitClosed(RawPeer.WAIT),
          "still connected after " + sent + " empty DATA frames: " + attacker.log());
      PeerLog.GoAway goAway = attacker.log().awaitGoAway(Duration.ZERO);
      assertTrue(goAway == null || goAway.is(Http2Error.ENHANCE_YOUR_CALM), String.valueOf(goAway));
      System.out.println(
          "[attack] empty DATA flood: closed after "
              + sent
              + " frames written"
              + (goAway == null ? "" : ", " + goAway));
      scene.assertContained("empty DATA flood", 20);
    }
  }
}
