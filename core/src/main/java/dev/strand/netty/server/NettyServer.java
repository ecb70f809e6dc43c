package dev.strand.netty.server;

import dev.strand.internal.exec.BlockingExecutors;
import dev.strand.internal.server.ConnectionPolicy;
import dev.strand.netty.cors.CorsProtocol;
import dev.strand.netty.grpc.GrpcServerProtocol;
import dev.strand.netty.grpc.MethodTable;
import dev.strand.netty.loop.EventLoops;
import dev.strand.netty.stream.ServerProtocols;
import dev.strand.netty.tls.TlsContexts;
import dev.strand.server.Server;
import dev.strand.server.ServerSettings;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** A gRPC server listening on one address, on its own event loops. */
public final class NettyServer implements Server {
  private final EventLoopGroup bossGroup;
  private final EventLoopGroup workerGroup;
  private final ExecutorService ownedExecutor;
  private final Channel serverChannel;
  private final ChannelGroup connections;
  private final ServerSettings config;
  private final CountDownLatch terminated = new CountDownLatch(1);
  private volatile boolean shutdown;

  private NettyServer(
      EventLoopGroup bossGroup,
      EventLoopGroup workerGroup,
      ExecutorService ownedExecutor,
      Channel serverChannel,
      ChannelGroup connections,
      ServerSettings config) {
    this.config = config;
    this.bossGroup = bossGroup;
    this.workerGroup = workerGroup;
    this.ownedExecutor = ownedExecutor;
    this.serverChannel = serverChannel;
    this.connections = connections;
  }

  public static NettyServer start(ServerSettings config) throws IOException {
    ConnectionPolicy policy = ConnectionPolicy.of(config);
    SocketAddress bindTo =
        config.address() instanceof UnixDomainSocketAddress unix
            ? EventLoops.unixSocketAddress(unix.getPath())
            : config.address();
    SslContext ssl =
        config.certChain() == null
            ? null
            : TlsContexts.forServer(
                config.certChain(),
                config.privateKey(),
                config.clientCa(),
                config.requireClientAuth());
    ExecutorService owned =
        config.blockingExecutor() == null ? BlockingExecutors.newDefault("strand-handler") : null;
    Executor blocking = owned != null ? owned : config.blockingExecutor();
    ServerProtocols protocols =
        CorsProtocol.inFrontOf(
            ServerProtocols.forServer(
                config, new GrpcServerProtocol(config, new MethodTable(config.methods()))),
            config.cors());
    EventLoopGroup boss = EventLoops.newGroup(1, "strand-server-boss");
    EventLoopGroup workers = EventLoops.newGroup(0, "strand-server");
    ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    java.util.concurrent.atomic.AtomicInteger open =
        new java.util.concurrent.atomic.AtomicInteger();
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(boss, workers)
            .channel(EventLoops.serverChannelType(bindTo))
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childOption(ChannelOption.RCVBUF_ALLOCATOR, EventLoops.readSizing())
            .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, EventLoops.outboundBuffer())
            .childHandler(
                new ChannelInitializer<>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    // Counted atomically: connections arrive on several event loops at once.
                    if (open.incrementAndGet() > policy.maxConnections()) {
                      open.decrementAndGet();
                      ch.close(); // Over the limit: refuse at once rather than let connections
                      // pile up.
                      return;
                    }
                    ch.closeFuture().addListener(f -> open.decrementAndGet());
                    connections.add(ch);
                    Supplier<ChannelHandler> http2 =
                        () -> ServerHandler.create(config, policy, protocols, blocking);
                    Supplier<ChannelHandler[]> http1 =
                        () -> Http1ServerHandler.pipeline(config, protocols, blocking);
                    if (ssl != null) {
                      // The HTTP version is ALPN's: h2, or http/1.1 for browsers.
                      ch.pipeline().addLast(ssl.newHandler(ch.alloc()));
                      ch.pipeline()
                          .addLast(new AlpnProtocols(http2, http1, policy.handshakeTimeout()));
                    } else {
                      // Cleartext: HTTP/2 with prior knowledge, or HTTP/1.1 (browsers, curl).
                      ch.pipeline()
                          .addLast(new HttpVersionSniffer(http2, http1, policy.handshakeTimeout()));
                    }
                  }
                });
    if (config.address() instanceof InetSocketAddress) {
      bootstrap
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childOption(ChannelOption.SO_KEEPALIVE, true);
    }
    try {
      Channel channel = bootstrap.bind(bindTo).syncUninterruptibly().channel();
      return new NettyServer(boss, workers, owned, channel, connections, config);
    } catch (Exception e) {
      boss.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      workers.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      if (owned != null) {
        owned.shutdownNow();
      }
      throw new IOException("cannot listen on " + config.address() + ": " + e.getMessage(), e);
    }
  }

  /** Where it listens and how it runs: what a person starting it wants to see. */
  @Override
  public String toString() {
    return "Strand server listening on "
        + address()
        + " (HTTP/2 on Netty, "
        + (EventLoops.usingEpoll() ? "epoll" : "NIO")
        + "; blocking handlers on "
        + (ownedExecutor == null
            ? "the application's executor"
            : BlockingExecutors.virtualThreadsAvailable() ? "virtual threads" : "a thread pool")
        + ")";
  }

  @Override
  public java.util.List<dev.strand.server.ServiceDefinition> services() {
    return config.services();
  }

  @Override
  public int port() {
    return address() instanceof InetSocketAddress inet ? inet.getPort() : -1;
  }

  @Override
  public SocketAddress address() {
    return serverChannel.localAddress();
  }

  @Override
  public synchronized Server shutdown() {
    if (shutdown) {
      return this;
    }
    shutdown = true;
    for (var listener : config.shutdownListeners()) {
      try {
        listener.onShutdown();
      } catch (RuntimeException e) {
        java.util.logging.Logger.getLogger(NettyServer.class.getName())
            .log(java.util.logging.Level.WARNING, "shutdown listener threw", e);
      }
    }
    serverChannel
        .close()
        .addListener(
            f -> {
              var allClosed = connections.newCloseFuture();
              for (Channel ch : connections) {
                ServerHandler h = ch.pipeline().get(ServerHandler.class);
                Http1ServerHandler h1 = ch.pipeline().get(Http1ServerHandler.class);
                if (h != null) {
                  runOn(ch, h::gracefulShutdown);
                } else if (h1 != null) {
                  runOn(ch, h1::gracefulShutdown);
                } else {
                  ch.close();
                }
              }
              allClosed.addListener(g -> releaseResources());
            });
    return this;
  }

  @Override
  public Server shutdownNow() {
    shutdown();
    for (Channel ch : connections) {
      // Straight to the socket, past Http2ConnectionHandler's graceful close.
      runOn(ch, () -> ch.unsafe().close(ch.unsafe().voidPromise()));
    }
    return this;
  }

  /** Runs a task on a connection's event loop, unless that loop is already shutting down. */
  private static void runOn(Channel ch, Runnable task) {
    try {
      ch.eventLoop().execute(task);
    } catch (java.util.concurrent.RejectedExecutionException terminated) {
      // The server's last connection closed meanwhile and its loops are going: nothing to do.
    }
  }

  private void releaseResources() {
    if (ownedExecutor != null) {
      ownedExecutor.shutdownNow();
    }
    var a = workerGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    var b = bossGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    a.addListener(x -> b.addListener(y -> terminated.countDown()));
  }

  @Override
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return terminated.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public boolean isShutdown() {
    return shutdown;
  }

  @Override
  public boolean isTerminated() {
    return terminated.getCount() == 0;
  }
}
