package dev.strand.web.client;

import dev.strand.client.ChannelSettings;
import dev.strand.client.ChannelTransport;
import dev.strand.client.ManagedChannel;
import dev.strand.client.WireProtocol;

/**
 * Channels that speak gRPC-Web or Connect over HTTP/1.1, found with ServiceLoader: {@code
 * Channel.to(target).protocol(WireProtocol.CONNECT)...build()} comes here when strand-web is on the
 * path.
 */
public final class WebChannelTransport implements ChannelTransport {
  @Override
  public String name() {
    return "web";
  }

  @Override
  public boolean speaks(WireProtocol protocol) {
    return protocol == WireProtocol.GRPC_WEB || protocol == WireProtocol.CONNECT;
  }

  @Override
  public ManagedChannel create(ChannelSettings settings) {
    WebWire wire =
        switch (settings.protocol()) {
          case GRPC_WEB -> new GrpcWebWire();
          case CONNECT -> new ConnectWire();
          case GRPC -> throw new IllegalArgumentException("gRPC is the HTTP/2 transport's");
        };
    return new WebChannel(settings, wire);
  }
}
