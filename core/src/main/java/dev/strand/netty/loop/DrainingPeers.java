package dev.strand.netty.loop;

import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayList;
import java.util.List;

/**
 * Per event loop: whether a peer is draining messages of this loop that had to wait for it, and
 * more of that peer's are still waiting. That is a loop whose next event (the peer's WINDOW_UPDATE,
 * or its socket taking more) is due about as soon as the peer gets through what it has: a local
 * peer reading a stream as fast as it comes. {@link SpinThenBlockStrategy} polls longer for such a
 * loop, so the peer need not wake it for every window it opens.
 *
 * <p>Each connection has its {@link Peer}, which counts the bytes of its messages not yet gone
 * (sent or dropped). Writes that go in the turn they were queued in (the usual reply) say nothing
 * about the peer; only a message queued in an earlier turn that is written now shows the peer
 * making room. A peer that stopped reading makes none, and one connection's stuck messages do not
 * make another connection's progress count: the loop is draining only if a peer that made room in
 * the turn still has messages waiting when it ends.
 *
 * <p>A turn ends each time the loop goes idle. Event loop thread only.
 */
public final class DrainingPeers {
  private static final FastThreadLocal<DrainingPeers> OF_THREAD =
      new FastThreadLocal<>() {
        @Override
        protected DrainingPeers initialValue() {
          return new DrainingPeers();
        }
      };

  private long turn;

  /** The peers that made room in this turn, each once. */
  private final List<Peer> madeRoom = new ArrayList<>(2);

  public static DrainingPeers ofThisThread() {
    return OF_THREAD.get();
  }

  /**
   * Ends the turn as the loop goes idle: true if a peer made room for a waiting message in it and
   * still has messages waiting.
   */
  public boolean endTurn() {
    boolean draining = false;
    for (int i = 0; i < madeRoom.size(); i++) {
      draining |= madeRoom.get(i).waitingBytes > 0;
    }
    madeRoom.clear();
    turn++;
    return draining;
  }

  /** One connection's peer, as seen from the event loop that serves it. */
  public static final class Peer {
    /** The loop's, looked up on the first message: handlers may be made off the loop. */
    private DrainingPeers loop;

    private long waitingBytes;
    private long lastTurnWithRoom = -1;

    /** A message of {@code bytes} is queued to be sent; returns the turn, for {@link #wrote}. */
    public long queued(int bytes) {
      if (loop == null) {
        loop = ofThisThread();
      }
      waitingBytes += bytes;
      return loop.turn;
    }

    /** Some of a message queued in {@code queuedInTurn} was written to the channel. */
    public void wrote(long queuedInTurn) {
      long turn = loop.turn;
      if (queuedInTurn != turn && lastTurnWithRoom != turn) {
        lastTurnWithRoom = turn;
        loop.madeRoom.add(this);
      }
    }

    /** A message of {@code bytes} is gone: all of it written, or dropped with its stream. */
    public void gone(int bytes) {
      waitingBytes -= bytes;
    }
  }
}
