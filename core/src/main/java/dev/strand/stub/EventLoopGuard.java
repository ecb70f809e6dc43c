package dev.strand.stub;

import dev.strand.internal.call.EventLoopThread;

/**
 * Refuses to block a transport's event loop: it would stall every call on that connection, or
 * deadlock.
 */
final class EventLoopGuard {
  private EventLoopGuard() {}

  static void checkMayBlock(String what) {
    if (EventLoopThread.current()) {
      throw new IllegalStateException(
          what
              + " would block a transport's event loop thread, where it "
              + "could deadlock: call it from an application thread or a blocking handler");
    }
  }
}
