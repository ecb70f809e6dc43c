package dev.strand.e2e.connections;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.http2.Http2CodecUtil;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Slowloris: connections that open and then never send the HTTP/2 preface (or send it a byte at a
 * time) hold a socket, a channel and a handler each for nothing. Strand's handshake timeout
 * (ServerBuilder.handshakeTimeout, default 20 s, 500 ms here) closes any connection whose client
 * SETTINGS have not arrived in time.
 */
@Timeout(30)
class SlowlorisAttackTest {
  private static final Duration HANDSHAKE_TIMEOUT = Duration.ofMillis(500);
  private static final int SILENT = 30;
  private static final int TRICKLING = 10;

  @Test
  void connectionsWithoutPrefaceAreClosedAtTheHandshakeTimeout() throws Exception {
    try (AttackScene scene = AttackScene.start(b -> b.handshakeTimeout(HANDSHAKE_TIMEOUT))) {
      long start = System.nanoTime();
      List<RawPeer> silent = new ArrayList<>();
      for (int i = 0; i < SILENT; i++) {
        silent.add(scene.attacker(RawPeer.Options.polite().withoutPreface()));
      }
      List<RawPeer> trickling = new ArrayList<>();
      for (int i = 0; i < TRICKLING; i++) {
        trickling.add(scene.attacker(RawPeer.Options.polite().withoutPreface()));
      }
      // One preface byte per 100 ms: the 24-byte preface alone would take 2.4 s.
      byte[] preface = new byte[Http2CodecUtil.connectionPrefaceBuf().readableBytes()];
      Http2CodecUtil.connectionPrefaceBuf().getBytes(0, preface);
      for (int b = 0; b < preface.length && !allClosed(trickling); b++) {
        for (RawPeer p : trickling) {
          p.writeRaw(new byte[] {preface[b]});
        }
        Thread.sleep(100);
      }

      Duration bound = HANDSHAKE_TIMEOUT.plus(Duration.ofSeconds(3));
      List<RawPeer> all = new ArrayList<>(silent);
      all.addAll(trickling);
      for (RawPeer p : all) {
        long left = bound.toNanos() - (System.nanoTime() - start);
        assertTrue(
            p.awaitClosed(Duration.ofNanos(Math.max(0, left))),
            "a connection without preface outlived " + bound + ": " + p.log());
      }
      long tookMillis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(
          tookMillis >= HANDSHAKE_TIMEOUT.toMillis() - 50,
          "closed before the handshake timeout: " + tookMillis + " ms");
      System.out.println(
          "[attack] slowloris: "
              + all.size()
              + " connections without preface"
              + " all closed within "
              + tookMillis
              + " ms");
      scene.assertContained("slowloris", 20);
    }
  }

  private static boolean allClosed(List<RawPeer> peers) {
    return peers.stream().allMatch(RawPeer::isClosed);
  }
}
