package dev.strand.e2e.docs;

import dev.strand.client.Channel;
import dev.strand.client.ManagedChannel;
import dev.strand.spi.NameResolver;
import dev.strand.spi.NameResolverProvider;
import dev.strand.spi.TargetUri;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/** The code of docs/NAMING.md; NamingSnippetsRunTest runs it. */
final class NamingSnippets {
  private NamingSnippets() {}

  // snippet:start naming-static-resolver
  /** {@code fixed:///orders}: names from configuration, each a list of addresses. */
  static final class FixedResolverProvider implements NameResolverProvider {
    private final Map<String, List<InetSocketAddress>> services;

    FixedResolverProvider(Map<String, List<InetSocketAddress>> services) {
      this.services = services;
    }

    @Override
    public String scheme() {
      return "fixed";
    }

    @Override
    public NameResolver newResolver(TargetUri target, int defaultPort) {
      List<InetSocketAddress> addresses = services.get(target.path());
      if (addresses == null) {
        throw new IllegalArgumentException("no service named '" + target.path() + "'");
      }
      return new NameResolver() {
        @Override
        public String authority() {
          return target.path();
        }

        @Override
        public void start(Listener listener) {
          listener.onResult(addresses.stream().map(NameResolver.Endpoint::of).toList());
        }

        @Override
        public void close() {}
      };
    }
  }

  static ManagedChannel ordersChannel(Map<String, List<InetSocketAddress>> services) {
    return Channel.to("fixed:///orders")
        .nameResolver(new FixedResolverProvider(services))
        .plaintext()
        .build();
  }
  // snippet:end naming-static-resolver
}
