package dev.strand.netty.dns;

import dev.strand.internal.resolver.HostPort;
import dev.strand.internal.resolver.IpLiterals;
import dev.strand.internal.resolver.StaticResolver;
import dev.strand.spi.NameResolver;
import dev.strand.spi.NameResolver.Endpoint;
import dev.strand.spi.NameResolverProvider;
import dev.strand.spi.TargetUri;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * The {@code dns} scheme: {@code dns:///host[:port]}, {@code dns://SERVER_IP[:port]/host[:port]}
 * (ask that DNS server) and plain {@code host[:port]}. An IP literal needs no lookup; a name is
 * looked up with Netty's asynchronous DNS resolver, on the client's event loops.
 */
public final class DnsResolverProvider implements NameResolverProvider {
  /** How often a name is looked up again, at most and at least: 30 s unless set. */
  private static Duration refreshInterval() {
    return Duration.ofMillis(Long.getLong("strand.dnsRefreshIntervalMillis", 30_000));
  }

  @Override
  public String scheme() {
    return "dns";
  }

  @Override
  public NameResolver newResolver(TargetUri target, int defaultPort) {
    String name = target.path();
    if (target.authority() == null && name.startsWith("/")) {
      throw new IllegalArgumentException("dns:/... : write dns:///host:port");
    }
    HostPort hostPort = HostPort.parse(name, defaultPort);
    InetSocketAddress server =
        target.authority() == null || target.authority().isEmpty()
            ? null
            : dnsServer(target.authority());
    InetAddress literal = IpLiterals.any(hostPort.host());
    if (literal != null) {
      return new StaticResolver(
          hostPort.authority(),
          List.of(Endpoint.of(new InetSocketAddress(literal, hostPort.port()))));
    }
    if (!isHostName(hostPort.host())) {
      throw new IllegalArgumentException("'" + hostPort.host() + "' is not a host name");
    }
    return new DnsResolver(
        hostPort, server, refreshInterval(), Boolean.getBoolean("strand.dnsServiceConfig"));
  }

  /** The DNS server of {@code dns://IP[:port]/...}: an address, so that it needs no lookup. */
  private static InetSocketAddress dnsServer(String authority) {
    HostPort server = HostPort.parse(authority, 53);
    InetAddress ip = IpLiterals.any(server.host());
    if (ip == null) {
      throw new IllegalArgumentException(
          "the DNS server in dns://" + authority + "/ must be an IP address (and port)");
    }
    return new InetSocketAddress(ip, server.port());
  }

  /** Letters, digits, '-', '_' and dots; no empty label. */
  private static boolean isHostName(String host) {
    if (host.length() > 253) {
      return false;
    }
    for (String label : host.split("\\.", -1)) {
      if (label.isEmpty() && !host.endsWith(".")) {
        return false;
      }
      if (!label.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '_')) {
        return false;
      }
    }
    return true;
  }
}
