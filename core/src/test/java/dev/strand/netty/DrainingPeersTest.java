package dev.strand.netty;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DrainingPeersTest {
  private final DrainingPeers peers = new DrainingPeers();

  @Test
  void messagesThatLeaveInTheTurnTheyWereQueuedInSayNothingOfThePeer() {
    long turn = peers.queued(100);
    long other = peers.queued(50);
    peers.left(100, turn, true);
    assertFalse(peers.endTurn(), "one still waits, but none had to wait for the peer");
    peers.left(50, other, true);
    assertFalse(peers.endTurn());
  }

  @Test
  void aPeerMakingRoomForAWaitingMessageWhileOthersWaitIsDraining() {
    long first = peers.queued(100);
    assertFalse(peers.endTurn(), "waiting, but nothing has left yet");
    peers.left(100, first, true);
    long second = peers.queued(100);
    assertTrue(peers.endTurn(), "the peer took a message that had waited; another waits");
    assertFalse(peers.endTurn(), "a turn in which the peer made no room");
    peers.left(100, second, true);
    assertFalse(peers.endTurn(), "the peer drained everything: nothing left to wait for");
  }

  @Test
  void messagesThatNeverLeaveDoNotKeepThePeerDraining() {
    peers.queued(100);
    for (int i = 0; i < 3; i++) {
      assertFalse(peers.endTurn());
    }
    // A reply that comes and goes in one turn, beside the stuck stream, changes nothing.
    peers.left(10, peers.queued(10), true);
    assertFalse(peers.endTurn());
  }

  @Test
  void aWaitingMessageWhoseStreamEndsIsNoLongerWaitingButMadeNoRoom() {
    long stuck = peers.queued(100);
    long other = peers.queued(100);
    peers.endTurn();
    peers.left(100, stuck, false); // its stream was reset
    assertFalse(peers.endTurn(), "the peer took nothing");
    peers.left(100, other, true);
    assertFalse(peers.endTurn(), "room made, but nothing waits any more");
    peers.left(10, peers.queued(10), true);
    assertFalse(peers.endTurn(), "the reset message's bytes no longer count as waiting");
  }
}
