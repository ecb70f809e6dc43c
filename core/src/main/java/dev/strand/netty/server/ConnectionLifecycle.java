package dev.strand.netty.server;

import dev.strand.internal.server.ConnectionPolicy;
import dev.strand.internal.server.KeepAliveEnforcer;
import dev.strand.netty.http2.KeepAlivePinger;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The life of one server connection (A8, A9): the handshake deadline, keepalive pings and their
 * enforcement, the idle and age limits, and the two-phase GOAWAY that ends it gracefully. Event
 * loop only.
 */
public final class ConnectionLifecycle {
  private static final Logger log = Logger.getLogger(ConnectionLifecycle.class.getName());

  /** Payload of the PING that follows the first GOAWAY: its ack means the peer has seen it. */
  static final long GOAWAY_PING_DATA = 0x5374726e64474f41L;

  private static final long GOAWAY_ACK_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final ServerHandler handler;
  private final ConnectionPolicy policy;
  private final KeepAliveEnforcer enforcer;
  private ChannelHandlerContext ctx;
  private KeepAlivePinger pinger;
  private ScheduledFuture<?> handshakeTimer;
  private ScheduledFuture<?> idleTimer;
  private ScheduledFuture<?> ageTimer;
  private boolean settingsReceived;
  private boolean goingAway;
  private boolean finalGoAwaySent;

  /** Why the connection is going away gracefully: the debug data of both GOAWAYs. */
  private String goAwayReason;

  ConnectionLifecycle(ServerHandler handler, ConnectionPolicy policy) {
    this.handler = handler;
    this.policy = policy;
    this.enforcer =
        new KeepAliveEnforcer(
            policy.permitKeepAliveTime().toNanos(), policy.permitKeepAliveWithoutCalls());
  }

  void start(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    if (policy.handshakeTimeout() != null) {
      // A connection that never sends its preface and SETTINGS holds resources for nothing.
      handshakeTimer =
          schedule(
              policy.handshakeTimeout(),
              () -> {
                if (!settingsReceived) {
                  log.log(Level.FINE, "closing {0}: no HTTP/2 preface in time", ctx.channel());
                  ctx.channel().close();
                }
              });
    }
    if (policy.keepAliveTime() != null) {
      pinger =
          new KeepAlivePinger(
              ctx,
              policy.keepAliveTime().toNanos(),
              policy.keepAliveTimeout().toNanos(),
              () -> true,
              this::ping,
              () -> {
                log.log(Level.FINE, "closing {0}: keepalive ping not answered", ctx.channel());
                ctx.channel().close();
              });
      pinger.start();
    }
    if (policy.maxConnectionAge() != null) {
      long age = policy.maxConnectionAge().toNanos();
      // ±10% jitter so that connections made together do not all go away together.
      long jittered = (long) (age * (0.9 + 0.2 * ThreadLocalRandom.current().nextDouble()));
      long grace =
          policy.maxConnectionAgeGrace() == null ? -1 : policy.maxConnectionAgeGrace().toMillis();
      ageTimer =
          ctx.executor()
              .schedule(() -> gracefulShutdown(grace, "max_age"), jittered, TimeUnit.NANOSECONDS);
    }
    startIdleTimer();
  }

  void stop() {
    cancel(handshakeTimer);
    cancel(idleTimer);
    cancel(ageTimer);
    if (pinger != null) {
      pinger.stop();
    }
  }

  void onRead() {
    if (pinger != null) {
      pinger.onRead();
    }
  }

  void onSettings() {
    settingsReceived = true;
    cancel(handshakeTimer);
  }

  /**
   * Pings are forgiven when HEADERS or DATA are written, not when a call queues them (A8 says
   * "sent"). A large response leaves in window-sized pieces, and grpc-go pings as each piece
   * arrives (BDP estimation): forgiven only at queueing, its fourth ping was "too_many_pings".
   */
  void onHeadersOrDataWritten() {
    enforcer.reset();
  }

  void onPing(long data) {
    if (!enforcer.onPing(handler.hasActiveCalls(), System.nanoTime())) {
      tooManyPings();
    }
  }

  void onPingAck(long data) {
    if (pinger != null) {
      pinger.onPingAck(data);
    }
    if (data == GOAWAY_PING_DATA) {
      sendFinalGoAway();
    }
  }

  void onStreamActive() {
    cancel(idleTimer);
    idleTimer = null;
  }

  void onStreamClosed(int activeStreams) {
    if (activeStreams == 0) {
      startIdleTimer();
    }
  }

  /**
   * Phase one: GOAWAY with the largest stream id, so streams already in flight from the client are
   * still accepted, and a PING. Phase two, when the PING is answered (one round trip later): GOAWAY
   * with the real last stream id, then close once the remaining calls finish.
   */
  void gracefulShutdown(long graceMillis, String reason) {
    if (goingAway || !ctx.channel().isActive()) {
      return;
    }
    goingAway = true;
    goAwayReason = reason;
    handler.gracefulShutdownTimeoutMillis(graceMillis);
    // The debug data says why (A9 suggests "max_idle" and "max_age"); it helps the peer's logs.
    handler.goAway(
        ctx,
        Integer.MAX_VALUE,
        Http2Error.NO_ERROR.code(),
        ByteBufUtil.writeAscii(ctx.alloc(), reason),
        ctx.newPromise());
    ping(GOAWAY_PING_DATA);
    schedule(Duration.ofNanos(GOAWAY_ACK_WAIT_NANOS), this::sendFinalGoAway);
  }

  private void sendFinalGoAway() {
    // Not going away: an ack of a PING this server never sent, which must not close it.
    if (finalGoAwaySent || !goingAway || !ctx.channel().isActive()) {
      return;
    }
    finalGoAwaySent = true;
    int last = handler.connection().remote().lastStreamCreated();
    handler.goAway(
        ctx,
        last,
        Http2Error.NO_ERROR.code(),
        ByteBufUtil.writeAscii(ctx.alloc(), goAwayReason),
        ctx.newPromise());
    ctx.flush();
    // Through the pipeline, so Http2ConnectionHandler waits for the active streams.
    ctx.channel().close();
  }

  private void tooManyPings() {
    if (finalGoAwaySent) {
      return;
    }
    finalGoAwaySent = true;
    goingAway = true;
    ByteBuf debug = ByteBufUtil.writeAscii(ctx.alloc(), "too_many_pings");
    handler.goAway(
        ctx,
        handler.connection().remote().lastStreamCreated(),
        Http2Error.ENHANCE_YOUR_CALM.code(),
        debug,
        ctx.newPromise());
    ctx.flush();
    handler.gracefulShutdownTimeoutMillis(0);
    ctx.channel().close();
  }

  private void ping(long data) {
    handler.encoder().writePing(ctx, false, data, ctx.newPromise());
    ctx.flush();
  }

  private void startIdleTimer() {
    if (policy.maxConnectionIdle() != null && ctx != null && idleTimer == null && !goingAway) {
      idleTimer =
          schedule(
              policy.maxConnectionIdle(),
              () -> {
                idleTimer = null;
                gracefulShutdown(-1, "max_idle");
              });
    }
  }

  private ScheduledFuture<?> schedule(Duration delay, Runnable task) {
    return ctx.executor().schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
  }

  private static void cancel(ScheduledFuture<?> f) {
    if (f != null) {
      f.cancel(false);
    }
  }
}
