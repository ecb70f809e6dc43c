package dev.strand.netty.loop;

import dev.strand.internal.client.CommandQueue;
import io.netty.channel.Channel;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs write commands from any thread on the channel's event loop, in order, and flushes once per
 * batch rather than once per write: many calls' messages share one syscall.
 */
public final class WriteQueue implements CommandQueue {
  private static final int MAX_PER_BATCH = 256;

  private final Channel channel;
  private final Queue<Runnable> commands = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final Runnable drain = this::drain;
  private final Runnable flush = this::scheduledFlush;

  /** Event loop only. */
  private boolean flushScheduled;

  /** Event loop only: a read is in progress, and the handler flushes when it completes. */
  private boolean reading;

  public WriteQueue(Channel channel) {
    this.channel = channel;
  }

  /**
   * Runs a command at once when {@link #canRunNow} (then flushes soon), else queues it: code on the
   * event loop, like an async handler, costs no task hop.
   */
  public void runOrEnqueue(Runnable command) {
    if (canRunNow()) {
      command.run();
      flushSoon();
    } else {
      enqueue(command);
    }
  }

  /**
   * True if a command may run at once instead of being queued: on the event loop, with nothing
   * queued that it could overtake. The caller then runs it and calls {@link #flushSoon}.
   */
  @Override
  public boolean canRunNow() {
    return channel.eventLoop().inEventLoop() && commands.isEmpty();
  }

  /**
   * Flushes once the event loop finishes its current task, with whatever else it wrote. Its own
   * task, not a drain: a write made inside a drain's flush (an on-ready callback, say) comes after
   * that flush and needs another.
   */
  @Override
  public void flushSoon() {
    if (!reading && !flushScheduled) {
      flushScheduled = true;
      channel.eventLoop().execute(flush);
    }
  }

  /** The handler is reading: writes made until {@link #readComplete} need no flush of their own. */
  public void readStarted() {
    reading = true;
  }

  /** The handler is about to flush after its read. */
  public void readComplete() {
    reading = false;
  }

  private void scheduledFlush() {
    flushScheduled = false;
    channel.flush();
  }

  @Override
  public void enqueue(Runnable command) {
    commands.add(command);
    if (scheduled.compareAndSet(false, true)) {
      channel.eventLoop().execute(drain);
    }
  }

  private void drain() {
    boolean more;
    do {
      int n = 0;
      Runnable command;
      while (n < MAX_PER_BATCH && (command = commands.poll()) != null) {
        try {
          command.run();
        } catch (RuntimeException e) {
          channel.pipeline().fireExceptionCaught(e);
        }
        n++;
      }
      channel.flush();
      if (n == MAX_PER_BATCH) {
        // Let the event loop do I/O before the next batch.
        channel.eventLoop().execute(drain);
        return;
      }
      scheduled.set(false);
      more = !commands.isEmpty() && scheduled.compareAndSet(false, true);
    } while (more);
  }
}
