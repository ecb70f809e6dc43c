package dev.strand.spi;

import java.net.SocketAddress;
import java.util.Objects;

/**
 * A Unix domain socket in Linux's abstract namespace ({@code unix-abstract:name}): a name with no
 * file behind it. The JDK's {@link java.net.UnixDomainSocketAddress} has no form for it; the
 * transport connects to it where it can (Netty's native epoll).
 */
public final class UnixAbstractAddress extends SocketAddress {
  private static final long serialVersionUID = 1L;
  private final String name;

  public UnixAbstractAddress(String name) {
    this.name = Objects.requireNonNull(name, "name");
  }

  /** The name, without the leading NUL byte the kernel sees. */
  public String name() {
    return name;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UnixAbstractAddress other && other.name.equals(name);
  }

  @Override
  public int hashCode() {
    return name.hashCode();
  }

  @Override
  public String toString() {
    return "unix-abstract:" + name;
  }
}
