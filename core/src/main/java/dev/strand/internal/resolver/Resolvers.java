package dev.strand.internal.resolver;

import dev.strand.spi.NameResolver;
import dev.strand.spi.NameResolverProvider;
import dev.strand.spi.TargetUri;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Finds the resolver for a channel target (naming.md): the provider of its scheme, the builder's
 * first, then those found with ServiceLoader (the transport brings {@code dns}), then the built-in
 * {@code ipv4}, {@code ipv6}, {@code unix} and {@code unix-abstract}. A target with no scheme, or
 * one no provider has, is a DNS name.
 */
public final class Resolvers {
  /** What a user may write, for error messages. */
  public static final String ACCEPTED_FORMS =
      "host:port, dns:///host:port, dns://DNS_SERVER_IP:PORT/host:port, ipv4:ADDR:PORT[,...],"
          + " ipv6:[ADDR]:PORT[,...], unix:path, unix:///absolute/path, unix-abstract:name";

  private static final int DEFAULT_PORT = 443;

  private static final class Installed {
    static final Map<String, NameResolverProvider> BY_SCHEME = load();

    private static Map<String, NameResolverProvider> load() {
      Map<String, NameResolverProvider> found = new LinkedHashMap<>();
      for (NameResolverProvider p :
          ServiceLoader.load(
              NameResolverProvider.class, NameResolverProvider.class.getClassLoader())) {
        found.putIfAbsent(p.scheme(), p);
      }
      for (NameResolverProvider p :
          List.of(
              IpListProvider.ipv4(),
              IpListProvider.ipv6(),
              new UnixProvider(),
              new UnixProvider.Abstract())) {
        found.putIfAbsent(p.scheme(), p);
      }
      return found;
    }
  }

  private Resolvers() {}

  /**
   * A resolver for {@code target}, not started. Throws IllegalArgumentException naming the target
   * and the accepted forms if it is malformed or no resolver takes it.
   */
  public static NameResolver forTarget(String target, List<NameResolverProvider> fromBuilder) {
    if (target == null || target.isBlank()) {
      throw new IllegalArgumentException("no target given; accepted forms: " + ACCEPTED_FORMS);
    }
    TargetUri uri = TargetUri.parse(target);
    NameResolverProvider provider = uri == null ? null : provider(uri.scheme(), fromBuilder);
    if (provider == null) {
      uri = TargetUri.dns(target);
      provider = provider("dns", fromBuilder);
      if (provider == null) {
        throw new IllegalArgumentException(
            "no resolver for target '" + target + "': no provider of the dns scheme is installed");
      }
    }
    try {
      return provider.newResolver(uri, DEFAULT_PORT);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "invalid target '"
              + target
              + "': "
              + e.getMessage()
              + "; accepted forms: "
              + ACCEPTED_FORMS,
          e);
    }
  }

  private static NameResolverProvider provider(String scheme, List<NameResolverProvider> first) {
    for (NameResolverProvider p : first) {
      if (p.scheme().equals(scheme)) {
        return p;
      }
    }
    return Installed.BY_SCHEME.get(scheme);
  }
}
