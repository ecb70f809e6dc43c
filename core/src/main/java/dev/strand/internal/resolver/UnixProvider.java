package dev.strand.internal.resolver;

import dev.strand.spi.NameResolver;
import dev.strand.spi.NameResolver.Endpoint;
import dev.strand.spi.NameResolverProvider;
import dev.strand.spi.TargetUri;
import dev.strand.spi.UnixAbstractAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code unix:path}, {@code unix:///absolute/path} and {@code unix-abstract:name} (naming.md).
 * Calls carry {@code :authority} "localhost", as in grpc-java and C-core.
 */
public final class UnixProvider implements NameResolverProvider {

  @Override
  public String scheme() {
    return "unix";
  }

  @Override
  public NameResolver newResolver(TargetUri target, int defaultPort) {
    String path;
    if (target.authority() != null) {
      // unix://absolute_path: nothing between the slashes, the path absolute.
      if (!target.authority().isEmpty()) {
        throw new IllegalArgumentException(
            "unix://" + target.authority() + "...: use unix:///absolute/path or unix:path");
      }
      path = "/" + target.path();
    } else {
      path = target.path();
    }
    if (path.isEmpty() || path.equals("/")) {
      throw new IllegalArgumentException("unix: names no socket path");
    }
    try {
      return new StaticResolver(
          "localhost", List.of(Endpoint.of(UnixDomainSocketAddress.of(Path.of(path)))));
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("unix: bad path '" + path + "': " + e.getReason(), e);
    }
  }

  /** The {@code unix-abstract} scheme. */
  public static final class Abstract implements NameResolverProvider {
    @Override
    public String scheme() {
      return "unix-abstract";
    }

    @Override
    public NameResolver newResolver(TargetUri target, int defaultPort) {
      String name =
          target.authority() == null
              ? target.path()
              : target.text().substring("unix-abstract:".length());
      if (name.isEmpty()) {
        throw new IllegalArgumentException("unix-abstract: names no socket");
      }
      return new StaticResolver("localhost", List.of(Endpoint.of(new UnixAbstractAddress(name))));
    }
  }
}
