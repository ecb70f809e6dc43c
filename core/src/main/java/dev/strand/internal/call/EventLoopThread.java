package dev.strand.internal.call;

/**
 * Marks the threads a transport runs its event loops on, so that code above the transport can
 * refuse to block one (it would stall every call of the connection, or deadlock) without knowing
 * which transport it is.
 */
public interface EventLoopThread {
  /** True on a transport's event-loop thread. */
  static boolean current() {
    return Thread.currentThread() instanceof EventLoopThread;
  }
}
