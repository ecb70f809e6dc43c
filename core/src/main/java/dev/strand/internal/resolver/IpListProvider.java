package dev.strand.internal.resolver;

import dev.strand.spi.NameResolver;
import dev.strand.spi.NameResolver.Endpoint;
import dev.strand.spi.NameResolverProvider;
import dev.strand.spi.TargetUri;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ipv4:a[:port][,b[:port]...]} and {@code ipv6:[a]:port,...} (naming.md): addresses written
 * out, one endpoint each, in order. Only literals of the scheme's family are taken.
 */
public final class IpListProvider implements NameResolverProvider {
  private final boolean v6;

  private IpListProvider(boolean v6) {
    this.v6 = v6;
  }

  /** The {@code ipv4} scheme. */
  public static IpListProvider ipv4() {
    return new IpListProvider(false);
  }

  /** The {@code ipv6} scheme. */
  public static IpListProvider ipv6() {
    return new IpListProvider(true);
  }

  @Override
  public String scheme() {
    return v6 ? "ipv6" : "ipv4";
  }

  @Override
  public NameResolver newResolver(TargetUri target, int defaultPort) {
    if (target.authority() != null) {
      throw new IllegalArgumentException(scheme() + ": takes no authority ('//...')");
    }
    if (target.path().isEmpty()) {
      throw new IllegalArgumentException(scheme() + ": lists no address");
    }
    List<Endpoint> endpoints = new ArrayList<>();
    String first = null;
    for (String part : target.path().split(",", -1)) {
      HostPort hp = HostPort.parse(part.strip(), defaultPort);
      InetAddress ip = v6 ? IpLiterals.ipv6(hp.host()) : IpLiterals.ipv4(hp.host());
      if (ip == null) {
        throw new IllegalArgumentException(
            "'" + hp.host() + "' is not an " + (v6 ? "IPv6" : "IPv4") + " address");
      }
      endpoints.add(Endpoint.of(new InetSocketAddress(ip, hp.port())));
      if (first == null) {
        first = hp.authority();
      }
    }
    return new StaticResolver(first, endpoints);
  }
}
