package dev.strand.e2e.connections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.http2.Http2Error;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * CVE-2019-9512, "Ping Flood": every PING obliges the server to answer with a PING ACK. Strand's
 * ping enforcement (A8) stops it long before anything queues: more than two pings inside the
 * permitted interval (5 minutes, or 2 hours with no calls) is "too_many_pings". The second layer,
 * Netty's limit on queued control frames, is shown by {@link SettingsFloodAttackTest}.
 */
@Timeout(30)
class PingFloodAttackTest {
  private static final Duration GOAWAY_GRACE = Duration.ofMillis(500);

  @Test
  void pingFloodIsCutOff() throws Exception {
    try (AttackScene scene = AttackScene.start(b -> b)) {
      RawPeer attacker = scene.attacker(RawPeer.Options.polite());
      assertTrue(attacker.log().awaitSettings(RawPeer.WAIT));

      int sent =
          attacker.flood(
              10_000,
              100,
              Duration.ofSeconds(10),
              (w, c, i) -> w.writePing(c, false, i, c.newPromise()));

      assertTrue(
          attacker.awaitClosed(RawPeer.WAIT),
          "still connected after " + sent + " pings: " + attacker.log());
      // The GOAWAY may be lost to the TCP reset the flood's later pings provoke.
      PeerLog.GoAway goAway = attacker.log().awaitGoAway(Duration.ZERO);
      assertTrue(goAway == null || "too_many_pings".equals(goAway.debug()), goAway + "");
      int answered = attacker.log().pingAcks();
      assertTrue(answered <= 4, "the server answered " + answered + " pings of the flood");
      System.out.println(
          "[attack] ping flood: wrote "
              + sent
              + " pings, "
              + answered
              + " answered, then "
              + (goAway == null ? "closed" : goAway));
      scene.assertContained("ping flood", 20);
    }
  }

  @Test
  void fourthPingGetsTooManyPings() throws Exception {
    try (AttackScene scene = AttackScene.start(b -> b)) {
      RawPeer attacker = scene.attacker(RawPeer.Options.polite());
      assertTrue(attacker.log().awaitSettings(RawPeer.WAIT));

      // One ping at a time, each after the previous answer, so the GOAWAY is surely read.
      int sent = 0;
      while (sent < 50 && attacker.log().goAways().isEmpty() && !attacker.isClosed()) {
        long data = sent++;
        attacker.write((w, c) -> w.writePing(c, false, data, c.newPromise()));
        int acks = sent;
        attacker
            .log()
            .await(
                () ->
                    attacker.log().pingAcks() >= acks
                        || !attacker.log().goAways().isEmpty()
                        || attacker.log().closed(),
                RawPeer.WAIT);
        // The ack of the fatal ping may be read before the GOAWAY written right after it;
        // give that GOAWAY a moment before pinging again.
        attacker
            .log()
            .await(
                () -> !attacker.log().goAways().isEmpty() || attacker.log().closed(), GOAWAY_GRACE);
      }

      PeerLog.GoAway goAway = attacker.log().awaitGoAway(RawPeer.WAIT);
      assertNotNull(goAway, "no GOAWAY after " + sent + " pings: " + attacker.log());
      assertEquals(Http2Error.ENHANCE_YOUR_CALM.code(), goAway.errorCode(), goAway.toString());
      assertEquals("too_many_pings", goAway.debug());
      // The first ping is fine, the next two are strikes, the third strike ends it. (Netty
      // acks each PING before Strand's enforcer sees it, so the fatal one is answered too.)
      assertEquals(4, sent, "pings before GOAWAY");
      assertEquals(4, attacker.log().pingAcks(), "pings answered");
      assertTrue(attacker.awaitClosed(RawPeer.WAIT), "not closed after the GOAWAY");
      scene.assertContained("paced pings", 10);
    }
  }
}
