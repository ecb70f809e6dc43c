package dev.strand.netty.server;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Once a TLS handshake is done, puts in the handlers for the HTTP version ALPN agreed on: "h2" for
 * HTTP/2 (gRPC and everything else), "http/1.1" for browsers' and other clients' HTTP/1.1 (the web
 * protocols). A client that offered no ALPN is told apart by its first bytes, as on a cleartext
 * port. A handshake that fails or does not finish in time closes the connection.
 */
final class AlpnProtocols extends ChannelInboundHandlerAdapter {
  private static final Logger log = Logger.getLogger(AlpnProtocols.class.getName());

  private final Supplier<ChannelHandler> http2;
  private final Supplier<ChannelHandler[]> http1;
  private final Duration deadline;
  private ScheduledFuture<?> timer;
  private final ArrayDeque<Object> early = new ArrayDeque<>();

  /** {@code deadline}: how long the TLS handshake may take, or null. */
  AlpnProtocols(
      Supplier<ChannelHandler> http2, Supplier<ChannelHandler[]> http1, Duration deadline) {
    this.http2 = http2;
    this.http1 = http1;
    this.deadline = deadline;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (deadline != null) {
      timer =
          ctx.executor()
              .schedule(
                  () -> {
                    log.log(Level.FINE, "closing {0}: no TLS handshake in time", ctx.channel());
                    ctx.close();
                  },
                  deadline.toNanos(),
                  TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (timer != null) {
      timer.cancel(false);
    }
    // Bounded: only what arrived before the handshake was done.
    while (!early.isEmpty()) {
      ctx.fireChannelRead(early.poll());
    }
  }

  /** Bytes that came before the handshake's end was told (as Netty's own negotiator allows for). */
  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    early.add(msg);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (!(evt instanceof SslHandshakeCompletionEvent done)) {
      super.userEventTriggered(ctx, evt);
      return;
    }
    if (!done.isSuccess()) {
      log.log(Level.FINE, "TLS handshake failed", done.cause());
      ctx.close();
      return;
    }
    String protocol = ctx.pipeline().get(SslHandler.class).applicationProtocol();
    ChannelHandler[] next;
    if (protocol == null) {
      next = new ChannelHandler[] {new HttpVersionSniffer(http2, http1, deadline)};
    } else if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
      next = new ChannelHandler[] {http2.get()};
    } else if (ApplicationProtocolNames.HTTP_1_1.equals(protocol)) {
      next = http1.get();
    } else {
      log.log(Level.FINE, "closing TLS connection that negotiated {0}", protocol);
      ctx.close();
      return;
    }
    String after = ctx.name();
    for (ChannelHandler handler : next) {
      ctx.pipeline().addAfter(after, null, handler);
      after = ctx.pipeline().context(handler).name();
    }
    ctx.pipeline().remove(this);
    super.userEventTriggered(ctx, evt);
  }
}
