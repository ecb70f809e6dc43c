package dev.strand.netty.client;

import dev.strand.netty.loop.EventLoops;
import io.netty.channel.EventLoopGroup;

/**
 * The event loops shared by every channel in the JVM, created on first use. Daemon threads, so they
 * never keep a JVM alive; sharing them keeps many channels cheap.
 */
public final class ClientResources {
  private ClientResources() {}

  private static final class Holder {
    static final EventLoopGroup GROUP = EventLoops.newGroup(0, "strand-client");
  }

  public static EventLoopGroup eventLoopGroup() {
    return Holder.GROUP;
  }
}
