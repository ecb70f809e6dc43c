package dev.strand.netty;

import dev.strand.client.ChannelSettings;
import dev.strand.client.ChannelTransport;
import dev.strand.client.ManagedChannel;
import dev.strand.netty.client.NettyChannel;
import dev.strand.netty.server.NettyServer;
import dev.strand.server.Server;
import dev.strand.server.ServerSettings;
import dev.strand.server.ServerTransport;
import java.io.IOException;

/** HTTP/2 on Netty, both sides: the transport {@code META-INF/services} names. */
public final class NettyTransport {
  private NettyTransport() {}

  /** The server side. */
  public static final class ForServers implements ServerTransport {
    @Override
    public String name() {
      return "netty";
    }

    @Override
    public Server start(ServerSettings settings) throws IOException {
      return NettyServer.start(settings);
    }
  }

  /** The client side. */
  public static final class ForChannels implements ChannelTransport {
    @Override
    public String name() {
      return "netty";
    }

    @Override
    public ManagedChannel create(ChannelSettings settings) {
      return NettyChannel.create(settings);
    }
  }
}
