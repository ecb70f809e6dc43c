package dev.strand.e2e.connections;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.testing.EchoService;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameTypes;
import io.netty.handler.codec.http2.Http2Headers;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * CVE-2019-9514, "Reset Flood", in its 2025 form ("MadeYouReset", CVE-2025-8671): the client never
 * sends RST_STREAM itself, so the rapid-reset limit on decoded resets never counts. It opens a
 * stream and then sends a frame that is a stream error (here a WINDOW_UPDATE with a zero
 * increment), making the server reset the stream - and free its slot - for it. Thousands of times.
 * Netty's encoder-side limit (200 error RST_STREAMs sent per 30 s on servers, kept by Strand's
 * handler builder) turns that into an ENHANCE_YOUR_CALM GOAWAY.
 */
@Timeout(30)
class ResetFloodAttackTest {
  private static final int STREAMS = 5_000;
  private static final int PER_FLUSH = 50;
  private static final int RST_LIMIT = 200;

  @Test
  void provokedResetsAreCutOff() throws Exception {
    try (AttackScene scene = AttackScene.start(b -> b)) {
      RawPeer attacker = scene.attacker(RawPeer.Options.polite());
      Http2Headers request = RawPeer.request(EchoService.CLIENT_STREAM.fullName());

      int sent =
          attacker.flood(
              STREAMS,
              PER_FLUSH,
              Duration.ofSeconds(10),
              (w, c, i) -> {
                int id = 2 * i + 1;
                w.writeHeaders(c, id, request, 0, false, c.newPromise());
                // WINDOW_UPDATE(0) on an open stream: a stream error, so the server answers
                // RST_STREAM.
                RawPeer.rawFrame(
                    w, c, Http2FrameTypes.WINDOW_UPDATE, 0, id, Unpooled.buffer(4).writeInt(0));
              });

      assertTrue(
          attacker.awaitClosed(RawPeer.WAIT),
          "still connected after " + sent + " provoked resets: " + attacker.log());
      PeerLog.GoAway goAway = attacker.log().awaitGoAway(Duration.ZERO);
      assertTrue(goAway == null || goAway.is(Http2Error.ENHANCE_YOUR_CALM), String.valueOf(goAway));
      int started = scene.callsStartedBy(attacker);
      assertTrue(
          started <= RST_LIMIT + 4 * PER_FLUSH,
          "the server started " + started + " calls before cutting the attacker off");
      System.out.println(
          "[attack] reset flood: wrote "
              + sent
              + " streams, server started "
              + started
              + " calls, sent "
              + attacker.log().resets()
              + " RST_STREAMs seen, then "
              + (goAway == null ? "closed" : goAway));
      scene.assertContained("reset flood", 20);
    }
  }
}
