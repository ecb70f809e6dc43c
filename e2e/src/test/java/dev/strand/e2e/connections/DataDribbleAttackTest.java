package dev.strand.e2e.connections;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.testing.EchoService;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * CVE-2019-9511, "Data Dribble": the client asks for large responses on many streams but advertises
 * a 1-byte stream window and hands out window one byte at a time, so the server must hold each
 * response and send it as 1-byte DATA frames. What must hold: each stream's queued response is
 * bounded (Strand's handler blocks once 32 KiB are unsent), so memory stays flat; and the other
 * clients keep being served, whatever the dribbler ties up.
 *
 * <p>On Java 17 the handlers block on platform threads. Without a per-connection share of the
 * blocking pool, 100 dribbled streams on one connection held all 64 threads and other clients'
 * calls queued past their deadlines; the server now lets one connection use a quarter of the pool
 * at most (FairShareExecutor), which this test holds it to.
 */
@Timeout(60)
class DataDribbleAttackTest {
  private static final int STREAMS = 100;

  /** Each stream asks for 2,000 messages of ~1 KB: 2 MB that the server may not buffer. */
  private static final String REQUEST = "2000:" + "x".repeat(1_000);

  private static final Duration DRIBBLE_TIME = Duration.ofSeconds(3);

  @Test
  void oneByteWindowsNeitherBloatTheServerNorStarveOthers() throws Exception {
    try (AttackScene scene = AttackScene.start(b -> b)) {
      RawPeer attacker = scene.attacker(RawPeer.Options.polite().stingy(1));
      assertTrue(attacker.log().awaitSettings(RawPeer.WAIT));
      byte[] body = REQUEST.getBytes(UTF_8);
      attacker.flood(
          STREAMS,
          20,
          RawPeer.WAIT,
          (w, c, i) -> {
            int id = 2 * i + 1;
            w.writeHeaders(
                c,
                id,
                RawPeer.request(EchoService.SERVER_STREAM.fullName()),
                0,
                false,
                c.newPromise());
            w.writeData(c, id, RawPeer.grpcMessage(body), 0, true, c.newPromise());
          });

      // Dribble: one byte of window per stream (and for the connection) every 20 ms.
      long end = System.nanoTime() + DRIBBLE_TIME.toNanos();
      int rounds = 0;
      while (System.nanoTime() < end && !attacker.isClosed()) {
        attacker.write(
            (w, c) -> {
              for (int i = 0; i < STREAMS; i++) {
                w.writeWindowUpdate(c, 2 * i + 1, 1, c.newPromise());
                w.writeWindowUpdate(c, 0, 1, c.newPromise());
              }
            });
        rounds++;
        Thread.sleep(20);
      }
      System.out.println(
          "[attack] data dribble: "
              + rounds
              + " rounds of 1-byte window for "
              + STREAMS
              + " streams; attacker got "
              + attacker.log().dataFrames()
              + " DATA frames; server started "
              + scene.callsStartedBy(attacker)
              + " calls; "
              + (attacker.isClosed() ? "attacker cut off" : "attacker still connected"));
      scene.assertContained("data dribble", 20);
    }
  }
}
