package dev.strand.netty.client;

import dev.strand.Metadata;
import dev.strand.Status;
import dev.strand.client.CallOptions;
import dev.strand.client.ChannelSettings;
import dev.strand.client.ClientCall;
import dev.strand.internal.client.CommandQueue;
import dev.strand.internal.client.Connection;
import dev.strand.internal.client.HealthWatch;
import dev.strand.netty.loop.EventLoops;
import dev.strand.netty.loop.WriteQueue;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLParameters;

/**
 * One HTTP/2 connection of a channel. It is ready once the server's first SETTINGS frame has
 * arrived (over TLS, after a handshake that agreed on "h2"). It stops taking new calls when it
 * receives GOAWAY or closes.
 */
public final class ClientConnection implements Connection {
  private final NettyChannel owner;
  private final ChannelSettings config;
  private final CompletableFuture<ClientConnection> ready = new CompletableFuture<>();
  private final Channel channel;
  private final WriteQueue writeQueue;
  private volatile ClientHandler handler;

  /** The server's address, as the resolver gave it. */
  private final java.net.SocketAddress address;

  private volatile boolean draining;
  private final java.util.concurrent.atomic.AtomicBoolean closedReported =
      new java.util.concurrent.atomic.AtomicBoolean();
  private volatile String goAwayReason;

  ClientConnection(
      NettyChannel owner,
      ChannelSettings config,
      java.net.SocketAddress address,
      SslContext ssl,
      String authority) {
    this.owner = owner;
    this.config = config;
    this.address = address;
    java.net.SocketAddress remote = EventLoops.nettyAddress(address);
    int port = address instanceof java.net.InetSocketAddress inet ? inet.getPort() : -1;
    Bootstrap bootstrap =
        new Bootstrap()
            .group(owner.eventLoop())
            .channel(EventLoops.channelType(remote))
            .option(ChannelOption.RCVBUF_ALLOCATOR, EventLoops.readSizing())
            .option(ChannelOption.WRITE_BUFFER_WATER_MARK, EventLoops.outboundBuffer())
            .option(
                ChannelOption.CONNECT_TIMEOUT_MILLIS,
                (int) Math.min(Integer.MAX_VALUE, config.backoff().minConnectTimeout().toMillis()))
            .handler(
                new ChannelInitializer<>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    if (ssl != null) {
                      SslHandler sslHandler = ssl.newHandler(ch.alloc(), hostOf(authority), port);
                      SSLParameters params = sslHandler.engine().getSSLParameters();
                      // Check that the certificate names the host we think we are talking to.
                      params.setEndpointIdentificationAlgorithm("HTTPS");
                      sslHandler.engine().setSSLParameters(params);
                      ch.pipeline().addLast(sslHandler);
                    }
                    ClientHandler h =
                        ClientHandler.create(ClientConnection.this, config, owner.keepAliveTime());
                    handler = h;
                    ch.pipeline().addLast(h);
                    if (ssl != null) {
                      ch.pipeline().addLast(new TlsCheck());
                    }
                  }
                });
    if (remote instanceof InetSocketAddress) {
      bootstrap.option(ChannelOption.TCP_NODELAY, true).option(ChannelOption.SO_KEEPALIVE, true);
    }
    ChannelFuture connect = bootstrap.connect(remote);
    this.channel = connect.channel();
    this.writeQueue = new WriteQueue(channel);
    connect.addListener(
        f -> {
          if (!f.isSuccess()) {
            ready.completeExceptionally(f.cause());
          }
        });
    channel
        .closeFuture()
        .addListener(
            f -> {
              ready.completeExceptionally(
                  new java.io.IOException("connection closed before it was ready"));
              // Also for connections that never became active, so the channel can terminate.
              onClosed();
            });
  }

  private static String hostOf(String authority) {
    if (authority.startsWith("[")) {
      return authority.substring(1, authority.indexOf(']'));
    }
    int colon = authority.lastIndexOf(':');
    return colon < 0 ? authority : authority.substring(0, colon);
  }

  /** A health Watch on this connection (A17), not one of the channel's calls. */
  @Override
  public HealthWatch watchHealth(String service, HealthWatch.Listener listener) {
    NettyClientCall<String, Integer> call =
        new NettyClientCall<>(owner, HealthWatch.WATCH, CallOptions.DEFAULT, this);
    call.start(
        new ClientCall.Listener<>() {
          @Override
          public void onMessage(Integer status) {
            listener.onServingStatus(status);
            call.request(1);
          }

          @Override
          public void onClose(Status status, Metadata trailers) {
            listener.onClose(status);
          }
        },
        new Metadata());
    call.request(1);
    call.sendMessage(service);
    call.halfClose();
    return () -> call.cancel("health check stopped", null);
  }

  @Override
  public CompletableFuture<ClientConnection> ready() {
    return ready;
  }

  /** True while new calls may use this connection. */
  @Override
  public boolean isUsable() {
    return !draining && channel.isOpen() && !ready.isCompletedExceptionally();
  }

  boolean isClosed() {
    return !channel.isOpen() && channel.closeFuture().isDone();
  }

  ClientHandler handler() {
    return handler;
  }

  WriteQueue writeQueue() {
    return writeQueue;
  }

  @Override
  public CommandQueue commands() {
    return writeQueue;
  }

  Channel channel() {
    return channel;
  }

  boolean secure() {
    return config.tls();
  }

  String goAwayReason() {
    return goAwayReason;
  }

  void onGoAway(long errorCode, String debug) {
    if (errorCode == io.netty.handler.codec.http2.Http2Error.ENHANCE_YOUR_CALM.code()
        && debug.contains("too_many_pings")) {
      owner.onTooManyPings();
    }
    draining = true;
    goAwayReason = "GOAWAY " + errorCode + (debug.isEmpty() ? "" : " (" + debug + ")");
    owner.onConnectionDraining(this);
  }

  void onClosed() {
    if (closedReported.compareAndSet(false, true)) {
      draining = true;
      owner.onConnectionClosed(this);
    }
  }

  /** Graceful close: GOAWAY, then close once the calls in flight finish. */
  @Override
  public void shutdown() {
    draining = true;
    channel.close();
  }

  void shutdownNow() {
    draining = true;
    channel.eventLoop().execute(() -> channel.unsafe().close(channel.unsafe().voidPromise()));
  }

  /**
   * The server's first SETTINGS arrived: the connection is ready. Not sooner, since until then the
   * client does not know the server's stream limit, and calls over it would be refused.
   */
  void onPeerSettings() {
    ready.complete(this);
  }

  /** Gives up on a connection that never became ready. */
  void failBeforeReady(Throwable cause) {
    ready.completeExceptionally(cause);
    channel.close();
  }

  /** Fails {@link #ready} when the TLS handshake fails or does not agree on "h2". */
  private final class TlsCheck extends ChannelInboundHandlerAdapter {

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
      if (evt instanceof SslHandshakeCompletionEvent done) {
        if (!done.isSuccess()) {
          ready.completeExceptionally(done.cause());
          ctx.close();
        } else {
          String protocol = ctx.pipeline().get(SslHandler.class).applicationProtocol();
          if (!ApplicationProtocolNames.HTTP_2.equals(protocol)) {
            ready.completeExceptionally(
                new javax.net.ssl.SSLException(
                    "server did not negotiate ALPN h2 (got " + protocol + ")"));
            ctx.close();
          }
        }
      }
      super.userEventTriggered(ctx, evt);
    }
  }

  @Override
  public String toString() {
    return "connection to " + address;
  }
}
