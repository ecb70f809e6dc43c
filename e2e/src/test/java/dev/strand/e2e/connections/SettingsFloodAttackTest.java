package dev.strand.e2e.connections;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Settings;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * CVE-2019-9515, "Settings Flood": every SETTINGS frame obliges the server to send a SETTINGS ACK.
 * An attacker that never reads makes those acks pile up in the server's outbound buffer. Strand has
 * no SETTINGS rate rule of its own; the bound is Netty's limit on queued control frames (10,000
 * outstanding, kept by Strand's handler builder), past which the connection is closed with
 * ENHANCE_YOUR_CALM. (The same limit covers PING and RST_STREAM answers.)
 *
 * <p>Over a Unix domain socket: on loopback TCP the kernel grows the server's send buffer to
 * tcp_wmem's maximum (4 MiB) while the attacker's window is zero, so ~800,000 SETTINGS pass before
 * anything queues in Netty (25 s here under the PARANOID leak detector). A Unix socket buffers ~200
 * KiB, so the same limit is reached in a second. The flood is sent pre-encoded and bounded by count
 * and time.
 */
@Timeout(60)
class SettingsFloodAttackTest {
  private static final int PER_CHUNK = 1_000;
  private static final int MAX_CHUNKS = 300;

  @TempDir Path dir;

  @Test
  void deafSettingsFloodHitsTheControlFrameLimit() throws Exception {
    try (AttackScene scene = AttackScene.startUnix(dir.resolve("s.sock"), b -> b)) {
      RawPeer attacker = scene.attacker(RawPeer.Options.polite().deaf(4096));
      byte[] chunk =
          RawPeer.encode(
              PER_CHUNK, (w, c, i) -> w.writeSettings(c, new Http2Settings(), c.newPromise()));

      long start = System.nanoTime();
      int sent = PER_CHUNK * attacker.floodBytes(chunk, MAX_CHUNKS, Duration.ofSeconds(15));
      long tookMillis = (System.nanoTime() - start) / 1_000_000;

      assertTrue(
          attacker.awaitClosed(Duration.ofSeconds(10)),
          "still connected after " + sent + " unanswered SETTINGS: " + attacker.log());
      attacker.startReading();
      PeerLog.GoAway goAway = attacker.log().awaitGoAway(Duration.ofMillis(200));
      assertTrue(goAway == null || goAway.is(Http2Error.ENHANCE_YOUR_CALM), String.valueOf(goAway));
      System.out.println(
          "[attack] settings flood: cut off after " + sent + " SETTINGS in " + tookMillis + " ms");
      scene.assertContained("settings flood", 20);
    }
  }
}
