package dev.strand.netty.stream;

import dev.strand.netty.loop.WriteQueue;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.EventExecutor;
import java.net.SocketAddress;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLSession;

/** The connection a {@link ServerStream} is on, as the protocol serving the stream sees it. */
public interface StreamConnection {

  /** The event loop all of the connection's stream state lives on. */
  EventExecutor eventLoop();

  ByteBufAllocator alloc();

  /**
   * A promise on this connection's channel: what a translating stream returns for a write it holds
   * back (to send later, reshaped), completing it when the write it became is done.
   */
  ChannelPromise newPromise();

  /** Runs write commands from any thread on the event loop, in order, flushing per batch. */
  WriteQueue writeQueue();

  /** Flushes what was written on the event loop. */
  void flush();

  /** The largest header block the peer takes (its SETTINGS_MAX_HEADER_LIST_SIZE). */
  long peerMaxHeaderListSize();

  /** This connection's fair share of the server's executor for blocking handlers. */
  Executor blockingExecutor();

  SocketAddress remoteAddress();

  SocketAddress localAddress();

  /** The TLS session, or null on a plaintext connection. */
  SSLSession sslSession();

  /**
   * True if a response can stream while its request is still arriving (HTTP/2). False over
   * HTTP/1.1, where clients (browsers above all) send the whole request before they read, so a
   * protocol refuses client and bidi streaming there rather than leave the call hanging.
   */
  default boolean fullDuplex() {
    return true;
  }
}
