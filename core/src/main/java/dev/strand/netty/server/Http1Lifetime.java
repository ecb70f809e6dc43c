package dev.strand.netty.server;

import dev.strand.server.ServerSettings;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * How long one HTTP/1.1 connection lives (A9, as HTTP/1.1 can carry it: there is no GOAWAY). While
 * it waits for a request's head it is closed after the handshake timeout (which also bounds a head
 * that trickles in) or {@code maxConnectionIdle}, whichever is shorter. Past {@code
 * maxConnectionAge} (±10% jitter) it closes at once if idle; otherwise its response in progress
 * says {@code Connection: close} if its head has not left yet, and it closes after that response,
 * or after {@code maxConnectionAgeGrace}, whichever comes first. Event loop only.
 */
final class Http1Lifetime {
  private static final Logger log = Logger.getLogger(Http1Lifetime.class.getName());

  private final Duration headTimeout;
  private final Duration maxIdle;
  private final Duration maxAge;
  private final Duration grace;

  /** The wait allowed between requests: the shorter of max_idle and the head timeout, 0 if none. */
  private final long waitNanos;

  private final String waitReason;
  private ChannelHandlerContext ctx;
  private ScheduledFuture<?> waitTimer;

  /** Waiting for a request's head, since {@link #waitingSince} (System.nanoTime). */
  private boolean waiting;

  private long waitingSince;
  private ScheduledFuture<?> ageTimer;
  private ScheduledFuture<?> graceTimer;

  Http1Lifetime(ServerSettings config) {
    this.headTimeout = config.handshakeTimeout();
    this.maxIdle = config.maxConnectionIdle();
    this.maxAge = config.maxConnectionAge();
    this.grace = config.maxConnectionAgeGrace();
    boolean idleFirst =
        maxIdle != null && (headTimeout == null || maxIdle.compareTo(headTimeout) < 0);
    Duration wait = idleFirst ? maxIdle : headTimeout;
    this.waitNanos = wait == null ? 0 : Math.max(1, wait.toNanos());
    this.waitReason = idleFirst ? "max_idle" : "no HTTP/1.1 request head in time";
  }

  /** From the connection's start; {@code shutdown} closes it once its current request is done. */
  void start(ChannelHandlerContext ctx, Runnable shutdown) {
    this.ctx = ctx;
    if (maxAge != null) {
      // ±10% so that connections made together do not all go away together.
      long jittered =
          (long) (maxAge.toNanos() * (0.9 + 0.2 * ThreadLocalRandom.current().nextDouble()));
      ageTimer =
          ctx.executor()
              .schedule(
                  () -> {
                    log.log(Level.FINE, "closing {0}: max_age", ctx.channel());
                    if (grace != null) {
                      graceTimer = schedule(grace, "max_age grace is over");
                    }
                    shutdown.run();
                  },
                  jittered,
                  TimeUnit.NANOSECONDS);
    }
  }

  /**
   * The connection waits for its next request: it may not wait for ever. Keep-alive connections
   * wait between every two requests, so the timer is not made and cancelled per request: one timer
   * stays armed, and when it fires it closes the connection only if it has been waiting the whole
   * delay, else it re-arms for what is left.
   */
  void awaitingRequest() {
    long delay = waitNanos;
    if (delay == 0) {
      return;
    }
    waiting = true;
    waitingSince = System.nanoTime();
    if (waitTimer == null) {
      armWaitTimer(delay);
    }
  }

  /** A request's head has arrived. */
  void requestStarted() {
    waiting = false;
  }

  private void armWaitTimer(long delayNanos) {
    waitTimer = ctx.executor().schedule(this::waitTimerFired, delayNanos, TimeUnit.NANOSECONDS);
  }

  private void waitTimerFired() {
    waitTimer = null;
    if (!waiting) {
      return; // the next wait arms it again
    }
    long left = waitNanos - (System.nanoTime() - waitingSince);
    if (left > 0) {
      armWaitTimer(left);
      return;
    }
    log.log(Level.FINE, "closing {0}: {1}", new Object[] {ctx.channel(), waitReason});
    ctx.close();
  }

  void stop() {
    cancel(waitTimer);
    cancel(ageTimer);
    cancel(graceTimer);
  }

  private ScheduledFuture<?> schedule(Duration delay, String reason) {
    return ctx.executor()
        .schedule(
            () -> {
              log.log(Level.FINE, "closing {0}: {1}", new Object[] {ctx.channel(), reason});
              ctx.close();
            },
            delay.toNanos(),
            TimeUnit.NANOSECONDS);
  }

  private static void cancel(ScheduledFuture<?> timer) {
    if (timer != null) {
      timer.cancel(false);
    }
  }
}
