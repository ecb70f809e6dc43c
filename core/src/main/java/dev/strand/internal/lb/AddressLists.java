package dev.strand.internal.lb;

import dev.strand.spi.NameResolver;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/** The address lists policies connect to, in the order A61 and A62 give. */
final class AddressLists {
  private AddressLists() {}

  /** Every address of every endpoint, in order, each once. */
  static List<SocketAddress> flatten(List<NameResolver.Endpoint> endpoints) {
    Set<SocketAddress> all = new LinkedHashSet<>();
    for (NameResolver.Endpoint endpoint : endpoints) {
      all.addAll(endpoint.addresses());
    }
    return List.copyOf(all);
  }

  /** The endpoints in a random order; each endpoint's own addresses keep theirs (A62). */
  static List<NameResolver.Endpoint> shuffled(
      List<NameResolver.Endpoint> endpoints, Random random) {
    List<NameResolver.Endpoint> copy = new ArrayList<>(endpoints);
    Collections.shuffle(copy, random);
    return copy;
  }

  /**
   * RFC 8305 section 4, as A61 asks of pick_first: the family of the first address first, then
   * alternating between IPv6 and IPv4 while both have addresses left, each family in its own order.
   * Addresses of neither family (Unix sockets) stay in place after them.
   */
  static List<SocketAddress> interleaveFamilies(List<SocketAddress> addresses) {
    List<SocketAddress> v6 = new ArrayList<>();
    List<SocketAddress> v4 = new ArrayList<>();
    List<SocketAddress> other = new ArrayList<>();
    Boolean firstIsV6 = null;
    for (SocketAddress address : addresses) {
      if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
        boolean isV6 = inet.getAddress() instanceof Inet6Address;
        if (firstIsV6 == null) {
          firstIsV6 = isV6;
        }
        (isV6 ? v6 : v4).add(address);
      } else {
        other.add(address);
      }
    }
    if (v6.isEmpty() || v4.isEmpty()) {
      return addresses;
    }
    List<SocketAddress> first = firstIsV6 ? v6 : v4;
    List<SocketAddress> second = firstIsV6 ? v4 : v6;
    List<SocketAddress> result = new ArrayList<>(addresses.size());
    for (int i = 0; i < Math.max(first.size(), second.size()); i++) {
      if (i < first.size()) {
        result.add(first.get(i));
      }
      if (i < second.size()) {
        result.add(second.get(i));
      }
    }
    result.addAll(other);
    return List.copyOf(result);
  }
}
