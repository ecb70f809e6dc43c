package dev.strand.netty;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.net.SocketAddress;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/** Picks native epoll when the platform has it and NIO otherwise, for servers and clients alike. */
public final class EventLoops {
  private static final boolean EPOLL = !Boolean.getBoolean("strand.noEpoll") && Epoll.isAvailable();

  private EventLoops() {}

  /** True on a Netty event loop thread, where blocking would stall every call on it. */
  public static boolean inEventLoop() {
    return io.netty.util.internal.ThreadExecutorMap.currentExecutor() != null;
  }

  public static boolean usingEpoll() {
    return EPOLL;
  }

  static EventLoopGroup newGroup(int threads, String name) {
    IoHandlerFactory factory = EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), factory);
  }

  static Class<? extends ServerChannel> serverChannelType(SocketAddress address) {
    if (address instanceof DomainSocketAddress) {
      return EpollServerDomainSocketChannel.class;
    }
    return EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }

  static Class<? extends Channel> channelType(SocketAddress address) {
    if (address instanceof DomainSocketAddress) {
      return EpollDomainSocketChannel.class;
    }
    return EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
  }

  /** The address of a Unix domain socket; they need native epoll, which must be in use. */
  public static SocketAddress unixSocketAddress(java.nio.file.Path path) {
    if (!EPOLL) {
      throw new IllegalStateException("Unix domain sockets need Netty's native epoll transport, "
          + "which is not available here" + (Epoll.isAvailable() ? " (disabled by strand.noEpoll)"
          : ": " + Epoll.unavailabilityCause()));
    }
    return new DomainSocketAddress(path.toFile());
  }
}
