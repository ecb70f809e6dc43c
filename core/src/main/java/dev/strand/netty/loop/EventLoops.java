package dev.strand.netty.loop;

import dev.strand.internal.call.EventLoopThread;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.DefaultSelectStrategyFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.SelectStrategyFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.FastThreadLocalThread;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import java.net.SocketAddress;

/** Picks native epoll when the platform has it and NIO otherwise, for servers and clients alike. */
public final class EventLoops {
  private static final boolean EPOLL = !Boolean.getBoolean("strand.noEpoll") && Epoll.isAvailable();

  /**
   * How long an idle epoll loop may poll before it blocks, when its traffic is that dense (see
   * {@link SpinThenBlockStrategy}); {@code -Dstrand.eventLoopSpinMicros=0} turns it off.
   */
  private static final long SPIN_NANOS =
      Math.max(0, Long.getLong("strand.eventLoopSpinMicros", 50)) * 1000;

  /**
   * The most one socket read takes in; Netty's default stops at 64 KiB. 256 KiB measured as fast as
   * 1 MiB on 64 KiB streams, and Netty's adaptive allocator still pools buffers that large when
   * direct memory is small (below 512 MiB it pools up to 256 KiB, else up to 1 MiB).
   */
  static final int MAX_READ_BYTES = 256 * 1024;

  /** See {@link #outboundBuffer}. */
  private static final WriteBufferWaterMark OUTBOUND_BUFFER =
      new WriteBufferWaterMark(128 * 1024, 256 * 1024);

  private EventLoops() {}

  /** True on a Netty event loop thread, where blocking would stall every call on it. */
  public static boolean usingEpoll() {
    return EPOLL;
  }

  public static EventLoopGroup newGroup(int threads, String name) {
    IoHandlerFactory factory = EPOLL ? epollFactory() : NioIoHandler.newFactory();
    return new MultiThreadIoEventLoopGroup(threads, new LoopThreads(name), factory);
  }

  /** Netty's thread factory, with threads that say they are event loops (EventLoopThread). */
  private static final class LoopThreads extends DefaultThreadFactory {
    LoopThreads(String name) {
      super(name, true);
    }

    @Override
    protected Thread newThread(Runnable task, String name) {
      return new LoopThread(threadGroup, task, name);
    }
  }

  private static final class LoopThread extends FastThreadLocalThread implements EventLoopThread {
    LoopThread(ThreadGroup group, Runnable task, String name) {
      super(group, task, name);
    }
  }

  private static IoHandlerFactory epollFactory() {
    if (SPIN_NANOS == 0) {
      return EpollIoHandler.newFactory();
    }
    // The strategy must see the loop's task queue, so it is made per loop, inside the factory.
    return executor -> {
      SelectStrategyFactory strategy =
          executor instanceof SingleThreadEventExecutor loop
              ? () -> new SpinThenBlockStrategy(() -> loop.pendingTasks() > 0, SPIN_NANOS)
              : DefaultSelectStrategyFactory.INSTANCE;
      return EpollIoHandler.newFactory(0, strategy).newHandler(executor);
    };
  }

  /**
   * Sizes each socket read by what the last ones brought in, from 2 KiB up to 256 KiB. A connection
   * streaming large messages then drains its socket in a few reads per wake-up instead of one per
   * 64 KiB: fewer system calls, and fewer DATA frames cut in two by the end of a read buffer (each
   * such frame is parsed from a composite of two). A quiet connection's reads stay small.
   */
  public static RecvByteBufAllocator readSizing() {
    return new AdaptiveRecvByteBufAllocator(64, 2048, MAX_READ_BYTES);
  }

  /**
   * How much a connection may queue in Netty's outbound buffer before it counts as unwritable: 256
   * KiB, back to writable under 128 KiB (Netty's default is 64 and 32 KiB). Netty's HTTP/2 flow
   * controller writes DATA only while the channel is writable, so with the default a stream of 64
   * KiB messages fits one message per event-loop turn, and a peer whose socket drains slowly costs
   * a write and a wake-up per message; with room for several, the loop hands them to the socket in
   * one gathering write. Measured with fresh JVMs, 8 pairs each: grpc-java's client streaming 64
   * KiB messages from Strand's server went 1.12x faster (8 of 8), Strand's own pair was unchanged
   * (1.00x). 512 KiB did no better. The windows still bound what is queued per stream; this bounds
   * it per connection.
   */
  public static WriteBufferWaterMark outboundBuffer() {
    return OUTBOUND_BUFFER;
  }

  public static Class<? extends ServerChannel> serverChannelType(SocketAddress address) {
    if (address instanceof DomainSocketAddress) {
      return EpollServerDomainSocketChannel.class;
    }
    return EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }

  public static Class<? extends Channel> channelType(SocketAddress address) {
    if (address instanceof DomainSocketAddress) {
      return EpollDomainSocketChannel.class;
    }
    return EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
  }

  /**
   * The address Netty connects to for one a resolver gave: a Unix domain socket (a path, or a name
   * in the abstract namespace) as Netty's own type; an IP address as it is.
   */
  public static SocketAddress nettyAddress(SocketAddress address) {
    if (address instanceof java.net.UnixDomainSocketAddress unix) {
      return unixSocketAddress(unix.getPath());
    }
    if (address instanceof dev.strand.spi.UnixAbstractAddress abstractName) {
      requireEpoll();
      return new DomainSocketAddress("\0" + abstractName.name());
    }
    return address;
  }

  /** UDP, for DNS queries. */
  public static Class<? extends io.netty.channel.socket.DatagramChannel> datagramChannelType() {
    return EPOLL
        ? io.netty.channel.epoll.EpollDatagramChannel.class
        : io.netty.channel.socket.nio.NioDatagramChannel.class;
  }

  /** The address of a Unix domain socket; they need native epoll, which must be in use. */
  public static SocketAddress unixSocketAddress(java.nio.file.Path path) {
    requireEpoll();
    return new DomainSocketAddress(path.toFile());
  }

  private static void requireEpoll() {
    if (!EPOLL) {
      throw new IllegalStateException(
          "Unix domain sockets need Netty's native epoll transport, "
              + "which is not available here"
              + (Epoll.isAvailable()
                  ? " (disabled by strand.noEpoll)"
                  : ": " + Epoll.unavailabilityCause()));
    }
  }
}
