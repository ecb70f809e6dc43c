package dev.strand.netty;

import io.netty.util.concurrent.FastThreadLocal;

/**
 * Per event loop: whether a peer is draining messages of this loop that had to wait for it, and
 * more are still waiting. That is a loop whose next event (the peer's WINDOW_UPDATE, or its
 * socket taking more) is due about as soon as the peer gets through what it has: a local peer
 * reading a stream as fast as it comes. {@link SpinThenBlockStrategy} polls longer for such a
 * loop, so the peer need not wake it for every window it opens.
 *
 * <p>Writes that leave in the turn they were queued in (the usual reply) say nothing about the
 * peer, and writes that never leave (a peer that stopped reading) must not keep the loop
 * polling: only a write queued in an earlier turn and leaving now shows a peer making room.
 *
 * <p>A turn ends each time the loop goes idle. Event loop thread only.
 */
final class DrainingPeers {
  private static final FastThreadLocal<DrainingPeers> OF_THREAD = new FastThreadLocal<>() {
    @Override
    protected DrainingPeers initialValue() {
      return new DrainingPeers();
    }
  };

  private long waitingBytes;
  private long turn;
  private boolean roomMadeThisTurn;

  static DrainingPeers ofThisThread() {
    return OF_THREAD.get();
  }

  /** A message of {@code bytes} is queued to be sent; returns the turn, for {@link #left}. */
  long queued(int bytes) {
    waitingBytes += bytes;
    return turn;
  }

  /**
   * The message queued in {@code queuedInTurn} left for the socket ({@code sent}), or never will
   * (its stream ended).
   */
  void left(int bytes, long queuedInTurn, boolean sent) {
    waitingBytes -= bytes;
    if (sent && queuedInTurn != turn) {
      roomMadeThisTurn = true;
    }
  }

  /**
   * Ends the turn as the loop goes idle: true if a peer made room for a waiting message in it and
   * messages still wait.
   */
  boolean endTurn() {
    boolean draining = roomMadeThisTurn && waitingBytes > 0;
    roomMadeThisTurn = false;
    turn++;
    return draining;
  }
}
