package dev.strand.netty.tls;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Closes a TLS connection whose peer did not agree on ALPN "h2": gRPC needs HTTP/2. */
public final class AlpnCheck extends ChannelInboundHandlerAdapter {
  private static final Logger log = Logger.getLogger(AlpnCheck.class.getName());

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof SslHandshakeCompletionEvent done) {
      if (done.isSuccess()) {
        String protocol = ctx.pipeline().get(SslHandler.class).applicationProtocol();
        if (protocol != null && !ApplicationProtocolNames.HTTP_2.equals(protocol)) {
          log.log(Level.FINE, "closing TLS connection that negotiated {0}", protocol);
          ctx.close();
          return;
        }
        ctx.pipeline().remove(this);
      } else {
        log.log(Level.FINE, "TLS handshake failed", done.cause());
        ctx.close();
        return;
      }
    }
    super.userEventTriggered(ctx, evt);
  }
}
