package dev.strand.internal.resolver;

import dev.strand.spi.NameResolver;
import java.util.List;

/** A resolver whose answer is in the target itself (ipv4:, ipv6:, unix:, IP literals). */
public final class StaticResolver implements NameResolver {
  private final String authority;
  private final List<Endpoint> endpoints;

  public StaticResolver(String authority, List<Endpoint> endpoints) {
    this.authority = authority;
    this.endpoints = List.copyOf(endpoints);
  }

  @Override
  public String authority() {
    return authority;
  }

  @Override
  public void start(Listener listener) {
    listener.onResult(endpoints);
  }

  @Override
  public void close() {}

  @Override
  public String toString() {
    return "static " + endpoints;
  }
}
