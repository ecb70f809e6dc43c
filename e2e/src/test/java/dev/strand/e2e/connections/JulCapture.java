package dev.strand.e2e.connections;

import java.text.MessageFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects what one java.util.logging logger says, formatted, while open. grpc-java reports some
 * transport events only in its log (a GOAWAY's debug data, its keepalive backoff).
 */
final class JulCapture extends Handler implements AutoCloseable {
  private final Logger logger;
  private final List<String> messages = new ArrayList<>(); // guarded by this

  private JulCapture(Logger logger) {
    this.logger = logger;
  }

  static JulCapture of(String loggerName) {
    JulCapture c = new JulCapture(Logger.getLogger(loggerName));
    c.logger.addHandler(c);
    return c;
  }

  @Override
  public synchronized void publish(LogRecord r) {
    String text =
        r.getParameters() == null
            ? r.getMessage()
            : MessageFormat.format(r.getMessage(), r.getParameters());
    messages.add(text);
    notifyAll();
  }

  synchronized List<String> messages() {
    return List.copyOf(messages);
  }

  /** Waits for a message containing {@code text}; false if none came in time. */
  synchronized boolean await(String text, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (messages.stream().noneMatch(m -> m.contains(text))) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    logger.removeHandler(this);
  }
}
