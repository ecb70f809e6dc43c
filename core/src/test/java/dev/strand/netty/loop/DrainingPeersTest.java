package dev.strand.netty.loop;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Each test runs its loop on a thread of its own: the state is per event-loop thread. */
public class DrainingPeersTest {
  private final DrainingPeers.Peer peer = new DrainingPeers.Peer();
  private final DrainingPeers.Peer other = new DrainingPeers.Peer();

  /** Runs {@code body} on a new thread, as a loop with a fresh {@link DrainingPeers}. */
  public static void onLoop(ThrowingRunnable body) throws Exception {
    Throwable[] failure = new Throwable[1];
    Thread loop =
        new Thread(
            () -> {
              try {
                body.run();
              } catch (Throwable t) {
                failure[0] = t;
              }
            });
    loop.start();
    loop.join(10_000);
    assertFalse(loop.isAlive(), "the loop thread finished");
    if (failure[0] != null) {
      throw new AssertionError(failure[0]);
    }
  }

  public interface ThrowingRunnable {
    void run() throws Exception;
  }

  private static DrainingPeers loop() {
    return DrainingPeers.ofThisThread();
  }

  @Test
  void messagesWrittenInTheTurnTheyWereQueuedInSayNothingOfThePeer() throws Exception {
    onLoop(
        () -> {
          long turn = peer.queued(100);
          peer.queued(50);
          peer.wrote(turn);
          peer.gone(100);
          assertFalse(loop().endTurn(), "one still waits, but none had to wait for the peer");
        });
  }

  @Test
  void aPeerMakingRoomForAWaitingMessageWhileOthersWaitIsDraining() throws Exception {
    onLoop(
        () -> {
          long first = peer.queued(100);
          assertFalse(loop().endTurn(), "waiting, but nothing has been written yet");
          peer.wrote(first);
          peer.gone(100);
          long second = peer.queued(100);
          assertTrue(loop().endTurn(), "the peer took a message that had waited; another waits");
          assertFalse(loop().endTurn(), "a turn in which the peer made no room");
          peer.wrote(second);
          peer.gone(100);
          assertFalse(loop().endTurn(), "the peer drained everything: nothing left to wait for");
        });
  }

  @Test
  void partOfALargeWaitingMessageWrittenIsRoomMade() throws Exception {
    onLoop(
        () -> {
          long turn = peer.queued(4 << 20);
          loop().endTurn();
          peer.wrote(turn);
          assertTrue(loop().endTurn(), "the rest of the message still waits");
        });
  }

  @Test
  void messagesThatNeverGoDoNotKeepThePeerDraining() throws Exception {
    onLoop(
        () -> {
          peer.queued(100);
          for (int i = 0; i < 3; i++) {
            assertFalse(loop().endTurn());
          }
          // A reply that comes and goes in one turn, beside the stuck stream, changes nothing.
          peer.wrote(peer.queued(10));
          peer.gone(10);
          assertFalse(loop().endTurn());
        });
  }

  @Test
  void oneConnectionsStuckMessagesDoNotMakeAnothersProgressCount() throws Exception {
    onLoop(
        () -> {
          peer.queued(100); // never goes: its peer stopped reading
          long waited = other.queued(100);
          loop().endTurn();
          other.wrote(waited);
          other.gone(100);
          assertFalse(loop().endTurn(), "the peer that made room has nothing left waiting");
        });
  }

  @Test
  void aWaitingMessageDroppedWithItsStreamMakesNoRoomAndNoLongerWaits() throws Exception {
    onLoop(
        () -> {
          peer.queued(100);
          long waited = peer.queued(100);
          loop().endTurn();
          peer.gone(100); // its stream was reset
          assertFalse(loop().endTurn(), "the peer took nothing");
          peer.wrote(waited);
          peer.gone(100);
          assertFalse(loop().endTurn(), "room made, but nothing waits any more");
          long later = peer.queued(10);
          loop().endTurn();
          peer.wrote(later);
          peer.gone(10);
          assertFalse(loop().endTurn(), "the dropped message's bytes no longer count as waiting");
        });
  }
}
