package dev.strand.stub;

import dev.strand.Metadata;
import dev.strand.Status;
import dev.strand.StatusException;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * The blocking end of an inbound stream. The transport pushes messages in from the event loop; a
 * reader thread takes them out. It asks the transport for one more message each time one is taken,
 * so at most {@code prefetch} messages wait here: flow control reaches the peer.
 */
final class MessageQueue<T> implements StreamSource<T> {
  private static final int PREFETCH = 4;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<T> messages = new ArrayDeque<>();
  private final IntConsumer request;
  private final Runnable cancel;
  private Status endStatus;
  private Metadata endTrailers;
  private boolean closedByReader;
  private boolean iteratorTaken;

  MessageQueue(IntConsumer request, Runnable cancel) {
    this.request = request;
    this.cancel = cancel;
  }

  /** Requests the first messages; call once the underlying call has started. */
  void start() {
    request.accept(PREFETCH);
  }

  void offer(T message) {
    lock.lock();
    try {
      messages.add(message);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** The stream is over: OK for a normal end, anything else fails the reader. */
  void finish(Status status, Metadata trailers) {
    lock.lock();
    try {
      if (endStatus == null) {
        endStatus = status;
        endTrailers = trailers;
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  boolean isFinished() {
    lock.lock();
    try {
      return endStatus != null;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public T next() {
    T message;
    lock.lock();
    try {
      if (messages.isEmpty() && endStatus == null && !closedByReader) {
        EventLoopGuard.checkMayBlock("reading a stream");
      }
      while (messages.isEmpty() && endStatus == null && !closedByReader) {
        changed.awaitUninterruptibly();
      }
      if (closedByReader) {
        throw Status.CANCELLED.withDescription("stream was closed by its reader").asException();
      }
      message = messages.poll();
      if (message == null) {
        if (endStatus.isOk()) {
          return null;
        }
        throw new StatusException(endStatus, endTrailers);
      }
    } finally {
      lock.unlock();
    }
    request.accept(1);
    return message;
  }

  @Override
  public Iterator<T> iterator() {
    lock.lock();
    try {
      if (iteratorTaken) {
        throw new IllegalStateException("a stream can be iterated only once");
      }
      iteratorTaken = true;
    } finally {
      lock.unlock();
    }
    return new Iterator<>() {
      private T pending;
      private boolean done;

      @Override
      public boolean hasNext() {
        if (pending == null && !done) {
          pending = MessageQueue.this.next();
          done = pending == null;
        }
        return pending != null;
      }

      @Override
      public T next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        T result = pending;
        pending = null;
        return result;
      }
    };
  }

  @Override
  public void close() {
    boolean cancelNeeded;
    lock.lock();
    try {
      cancelNeeded = endStatus == null && !closedByReader;
      closedByReader = true;
      messages.clear();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    if (cancelNeeded) {
      cancel.run();
    }
  }
}
