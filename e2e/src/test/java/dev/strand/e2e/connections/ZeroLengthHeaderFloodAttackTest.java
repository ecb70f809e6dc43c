package dev.strand.e2e.connections;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.testing.EchoService;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameTypes;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * CVE-2019-9516, "0-Length Headers Leak", and its cousin the CONTINUATION flood (CVE-2024-27316 and
 * friends): header fields with an empty name and value cost 3 bytes on the wire but a header-list
 * entry each on the server, and a header block that never ends (CONTINUATION after CONTINUATION, no
 * END_HEADERS) keeps the server buffering. Both are cut off by Netty's decoder as Strand builds it:
 * at most 16 small (< 8 KiB) CONTINUATION frames in a row (ENHANCE_YOUR_CALM); and a complete block
 * of empty fields is a stream error (431 and RST_STREAM PROTOCOL_ERROR, no call started) which,
 * repeated, hits the limit of 200 error resets sent per 30 s.
 */
@Timeout(30)
class ZeroLengthHeaderFloodAttackTest {
  private static final int END_STREAM = 0x1;
  private static final int END_HEADERS = 0x4;
  private static final int RST_LIMIT = 200;

  @Test
  void continuationFloodOfEmptyHeadersIsCutOff() throws Exception {
    try (AttackScene scene = AttackScene.start(b -> b)) {
      RawPeer attacker = scene.attacker(RawPeer.Options.polite());
      // Our SETTINGS ack must not land inside the header block: that is a different error.
      assertTrue(attacker.log().awaitSettings(RawPeer.WAIT));
      int stream = attacker.newStreamId();
      byte[] request = Hpack.request(EchoService.UNARY.fullName()).bytes();
      // Ten empty fields per CONTINUATION, none with END_HEADERS: the block never ends.
      Hpack tenEmpty = new Hpack();
      for (int i = 0; i < 10; i++) {
        tenEmpty.literal("", "");
      }
      byte[] empties = tenEmpty.bytes();
      attacker.write(
          (w, c) ->
              RawPeer.rawFrame(
                  w, c, Http2FrameTypes.HEADERS, 0, stream, Unpooled.wrappedBuffer(request)));

      int sent =
          attacker.flood(
              10_000,
              50,
              Duration.ofSeconds(10),
              (w, c, i) ->
                  RawPeer.rawFrame(
                      w,
                      c,
                      Http2FrameTypes.CONTINUATION,
                      0,
                      stream,
                      Unpooled.wrappedBuffer(empties)));

      assertCutOff(attacker, sent, "CONTINUATION frames of empty headers");
      PeerLog.GoAway goAway = attacker.log().awaitGoAway(Duration.ZERO);
      assertTrue(goAway == null || goAway.is(Http2Error.ENHANCE_YOUR_CALM), String.valueOf(goAway));
      scene.assertContained("CONTINUATION flood of empty headers", 20);
    }
  }

  @Test
  void streamsOfEmptyHeadersAreCutOff() throws Exception {
    try (AttackScene scene = AttackScene.start(b -> b)) {
      RawPeer attacker = scene.attacker(RawPeer.Options.polite());
      // A complete request header block padded with 500 empty fields: 1.5 KB on the wire,
      // 16 KB of header list by HPACK's accounting (32 bytes of overhead per field).
      Hpack block = Hpack.request(EchoService.UNARY.fullName());
      for (int i = 0; i < 500; i++) {
        block.literal("", "");
      }
      byte[] bytes = block.bytes();

      int sent =
          attacker.flood(
              2_000,
              10,
              Duration.ofSeconds(10),
              (w, c, i) ->
                  RawPeer.rawFrame(
                      w,
                      c,
                      Http2FrameTypes.HEADERS,
                      END_HEADERS | END_STREAM,
                      2 * i + 1,
                      Unpooled.wrappedBuffer(bytes)));

      assertCutOff(attacker, sent, "streams of empty headers");
      assertTrue(
          attacker.log().streamsAnswered() <= RST_LIMIT + 10,
          "the server answered " + attacker.log().streamsAnswered() + " streams before the cut");
      assertTrue(
          attacker.log().headers(1).toString().contains(":status: 431"),
          "the first stream should be answered 431: " + attacker.log().headers(1));
      assertTrue(scene.callsStartedBy(attacker) == 0, "a call started with empty header names");
      scene.assertContained("streams of empty headers", 20);
    }
  }

  private static void assertCutOff(RawPeer attacker, int sent, String what)
      throws InterruptedException {
    assertTrue(
        attacker.awaitClosed(RawPeer.WAIT),
        "still connected after " + sent + " " + what + ": " + attacker.log());
    PeerLog.GoAway goAway = attacker.log().awaitGoAway(Duration.ZERO);
    System.out.println(
        "[attack] "
            + what
            + ": closed after "
            + sent
            + " written"
            + (goAway == null ? "" : ", " + goAway));
  }
}
