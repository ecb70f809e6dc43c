package dev.strand.spi;

/**
 * Makes {@link NameResolver}s for one target scheme. Strand brings {@code dns}, {@code ipv4},
 * {@code ipv6}, {@code unix} and {@code unix-abstract}; add one with {@code
 * ChannelBuilder.nameResolver(provider)}, or by listing it in {@code
 * META-INF/services/dev.strand.spi.NameResolverProvider} (a module {@code provides} it). A provider
 * given on the builder wins over one found for the same scheme.
 */
public interface NameResolverProvider {

  /** The scheme this provider resolves, lowercase: {@code "dns"}, {@code "etcd"}. */
  String scheme();

  /**
   * A resolver for {@code target}, whose scheme is this provider's. Throws {@link
   * IllegalArgumentException} with a message saying what is wrong if the target is malformed for
   * this scheme (the channel's build fails with it). Must not look anything up yet.
   *
   * @param defaultPort the port for addresses the target gives none for (443)
   */
  NameResolver newResolver(TargetUri target, int defaultPort);
}
