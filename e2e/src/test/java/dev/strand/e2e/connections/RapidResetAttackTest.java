package dev.strand.e2e.connections;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.testing.EchoService;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * CVE-2023-44487, "HTTP/2 Rapid Reset": the client opens a stream and cancels it at once, thousands
 * of times. Every HEADERS makes the server start a call; the RST_STREAM frees the stream slot
 * immediately, so MAX_CONCURRENT_STREAMS never bites and the server does unbounded work for free.
 * The defence is the server's RST budget (200 per 30 s with no completed calls, ResetBudget, in
 * place of Netty's fixed window): past it the connection is an ENHANCE_YOUR_CALM GOAWAY.
 */
@Timeout(30)
class RapidResetAttackTest {
  private static final int STREAMS = 5_000;
  private static final int PER_FLUSH = 50;

  /** Netty's default for servers: RST_STREAM frames decoded per 30-second window. */
  private static final int RST_LIMIT = 200;

  @Test
  void openAndCancelFloodIsCutOffAndOthersStayServed() throws Exception {
    try (AttackScene scene = AttackScene.start(b -> b)) {
      RawPeer attacker = scene.attacker(RawPeer.Options.polite());
      Http2Headers request = RawPeer.request(EchoService.UNARY.fullName());

      int sent =
          attacker.flood(
              STREAMS,
              PER_FLUSH,
              Duration.ofSeconds(10),
              (w, c, i) -> {
                int id = 2 * i + 1;
                w.writeHeaders(c, id, request, 0, false, c.newPromise());
                w.writeRstStream(c, id, Http2Error.CANCEL.code(), c.newPromise());
              });

      // Cut off: the connection closes. The ENHANCE_YOUR_CALM GOAWAY before the close is lost
      // when the kernel answers the attacker's ongoing writes with a TCP reset, so it is
      // checked only when it arrived.
      assertTrue(
          attacker.awaitClosed(RawPeer.WAIT),
          "the attacker's connection stayed open after "
              + sent
              + " HEADERS+RST pairs: "
              + attacker.log());
      PeerLog.GoAway goAway = attacker.log().awaitGoAway(Duration.ZERO);
      assertTrue(
          goAway == null || goAway.is(Http2Error.ENHANCE_YOUR_CALM),
          "GOAWAY should say ENHANCE_YOUR_CALM: " + goAway);
      // ... near the limit, not after the whole flood (allowing for frames already in flight).
      int started = scene.callsStartedBy(attacker);
      assertTrue(
          started <= RST_LIMIT + 4 * PER_FLUSH,
          "the server started " + started + " calls before cutting the attacker off");
      System.out.println(
          "[attack] rapid reset: attacker wrote "
              + sent
              + " pairs, server started "
              + started
              + " calls, then "
              + (goAway == null ? "closed" : goAway + " and closed"));
      scene.assertContained("rapid reset", 20);
    }
  }
}
