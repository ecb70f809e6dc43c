package dev.strand.stub;

import dev.strand.Status;
import dev.strand.StatusException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Makes a writer thread wait until the transport is ready for more, or the call ends. The
 * transport's on-ready and end events open it from the event loop.
 */
final class ReadyGate {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final BooleanSupplier isReady;
  private Status failure;

  ReadyGate(BooleanSupplier isReady) {
    this.isReady = isReady;
  }

  /** Blocks until ready; throws if the call ended first. */
  void awaitReady() {
    if (failure == null && isReady.getAsBoolean()) {
      return;
    }
    EventLoopGuard.checkMayBlock("waiting for flow control");
    lock.lock();
    try {
      while (failure == null && !isReady.getAsBoolean()) {
        changed.awaitUninterruptibly();
      }
      if (failure != null) {
        throw failure.asException();
      }
    } finally {
      lock.unlock();
    }
  }

  void checkOpen() {
    Status f = failure;
    if (f != null) {
      throw new StatusException(f);
    }
  }

  void signal() {
    lock.lock();
    try {
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** The call ended; every waiting and future writer fails with this status. */
  void fail(Status status) {
    lock.lock();
    try {
      if (failure == null) {
        failure = status;
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
