package dev.strand.stub;

import dev.strand.netty.EventLoops;

/** Refuses to block a Netty event loop: it would stall every call on that connection, or deadlock. */
final class EventLoopGuard {
  private EventLoopGuard() {}

  static void checkMayBlock(String what) {
    if (EventLoops.inEventLoop()) {
      throw new IllegalStateException(what + " would block a Netty event loop thread, where it "
          + "could deadlock: call it from an application thread or a blocking handler");
    }
  }
}
