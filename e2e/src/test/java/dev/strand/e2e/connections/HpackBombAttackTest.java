package dev.strand.e2e.connections;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.testing.EchoService;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.Http2FrameTypes;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * CVE-2016-6581, "HPACK Bomb": a 3 KB header is inserted into the HPACK dynamic table once, then
 * referenced by its one-byte index thousands of times, so a 9 KB header block decodes to about 18
 * MB of headers. The server must count the decoded size as it goes and stop at its
 * SETTINGS_MAX_HEADER_LIST_SIZE (8 KiB by default) rather than build the list. Netty's HPACK
 * decoder does; the stream is refused (431, RST_STREAM), and an attacker that keeps trying hits the
 * limit on error resets sent (200 per 30 s).
 */
@Timeout(30)
class HpackBombAttackTest {
  private static final int END_STREAM = 0x1;
  private static final int END_HEADERS = 0x4;
  private static final int VALUE_SIZE = 3_000;
  private static final int REFERENCES = 6_000;
  private static final int BOMBS = 2_000;
  private static final int RST_LIMIT = 200;

  @Test
  void headerBombIsRefusedWithoutExpanding() throws Exception {
    try (AttackScene scene = AttackScene.start(b -> b)) {
      RawPeer attacker = scene.attacker(RawPeer.Options.polite());
      String big = "a".repeat(VALUE_SIZE);
      // First stream: insert the big entry (dynamic index 62) and reference it 6,000 times.
      Hpack first = Hpack.request(EchoService.UNARY.fullName()).literalIndexed("x-bomb", big);
      // Later streams: the entry is already in the table, so only the references are sent.
      Hpack later = Hpack.request(EchoService.UNARY.fullName());
      for (int i = 0; i < REFERENCES; i++) {
        first.indexed(Hpack.FIRST_DYNAMIC);
        later.indexed(Hpack.FIRST_DYNAMIC);
      }
      // Under Netty's 10 KiB cap on an encoded header block, which would end it sooner.
      assertTrue(first.size() < 10_000, "block too big: " + first.size());
      long expanded = (long) REFERENCES * (VALUE_SIZE + "x-bomb".length() + 32);
      byte[] firstBytes = first.bytes();
      byte[] laterBytes = later.bytes();

      int sent =
          attacker.flood(
              BOMBS,
              10,
              Duration.ofSeconds(10),
              (w, c, i) ->
                  RawPeer.rawFrame(
                      w,
                      c,
                      Http2FrameTypes.HEADERS,
                      END_HEADERS | END_STREAM,
                      2 * i + 1,
                      Unpooled.wrappedBuffer(i == 0 ? firstBytes : laterBytes)));

      assertTrue(
          attacker.awaitClosed(RawPeer.WAIT),
          "still connected after " + sent + " header bombs: " + attacker.log());
      assertTrue(
          attacker.log().streamsAnswered() <= RST_LIMIT + 10,
          "the server answered " + attacker.log().streamsAnswered() + " bombs before the cut");
      assertTrue(
          attacker.log().headers(1).toString().contains(":status: 431"),
          "the first bomb should be answered 431: " + attacker.log());
      assertTrue(scene.callsStartedBy(attacker) == 0, "a call started with a bomb's headers");
      PeerLog.GoAway goAway = attacker.log().awaitGoAway(Duration.ZERO);
      System.out.println(
          "[attack] HPACK bomb: "
              + sent
              + " bombs of "
              + laterBytes.length
              + " bytes, each "
              + expanded / MemoryProbe.MB
              + " MB decoded, then "
              + (goAway == null ? "closed" : goAway));
      scene.assertContained("HPACK bomb", 20);
    }
  }
}
