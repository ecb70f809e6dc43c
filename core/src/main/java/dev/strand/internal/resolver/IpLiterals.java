package dev.strand.internal.resolver;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** IP address literals, parsed strictly: never a name, so never a DNS lookup. */
public final class IpLiterals {
  private IpLiterals() {}

  /** The IPv4 address {@code a.b.c.d}, or null if {@code text} is not one. */
  public static Inet4Address ipv4(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] bytes = new byte[4];
    for (int i = 0; i < 4; i++) {
      String p = parts[i];
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return null;
      }
      int v = Integer.parseInt(p);
      if (v > 255) {
        return null;
      }
      bytes[i] = (byte) v;
    }
    try {
      return (Inet4Address) InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new AssertionError(e); // four bytes are always an address
    }
  }

  /** The IPv6 address in {@code text} (no brackets), or null if it is not one. */
  public static Inet6Address ipv6(String text) {
    // Only hex digits, ':' and '.' (an embedded IPv4 tail) and '%' (a scope): the JDK parses a
    // string with ':' as a literal and never looks it up, but check first to be sure.
    if (text.indexOf(':') < 0
        || !text.chars()
            .allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.' || c == '%')) {
      return null;
    }
    try {
      return InetAddress.getByName(text) instanceof Inet6Address v6 ? v6 : null;
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /** An IPv4 or IPv6 literal, or null. */
  public static InetAddress any(String text) {
    InetAddress v4 = ipv4(text);
    return v4 != null ? v4 : ipv6(text);
  }
}
