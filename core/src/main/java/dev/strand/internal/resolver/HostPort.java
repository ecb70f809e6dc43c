package dev.strand.internal.resolver;

/**
 * {@code host[:port]} as targets write it: an IPv6 host in brackets ({@code [::1]:443}), the port
 * optional.
 */
public record HostPort(String host, int port) {

  /** Parses {@code text}; {@code defaultPort} if it names none. */
  public static HostPort parse(String text, int defaultPort) {
    String host;
    String port = null;
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("unclosed '[' in '" + text + "'");
      }
      host = text.substring(1, close);
      String after = text.substring(close + 1);
      if (!after.isEmpty()) {
        if (!after.startsWith(":")) {
          throw new IllegalArgumentException("expected ':port' after ']' in '" + text + "'");
        }
        port = after.substring(1);
      }
    } else {
      int colon = text.lastIndexOf(':');
      if (colon >= 0 && text.indexOf(':') != colon) {
        throw new IllegalArgumentException(
            "an IPv6 address needs brackets: '[" + text + "]' or '[addr]:port'");
      }
      host = colon < 0 ? text : text.substring(0, colon);
      port = colon < 0 ? null : text.substring(colon + 1);
    }
    if (host.isEmpty()) {
      throw new IllegalArgumentException("no host in '" + text + "'");
    }
    return new HostPort(host, port == null ? defaultPort : parsePort(port, text));
  }

  private static int parsePort(String port, String text) {
    try {
      int p = Integer.parseInt(port);
      if (p > 0 && p <= 65535 && !port.startsWith("+")) {
        return p;
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    throw new IllegalArgumentException("bad port '" + port + "' in '" + text + "'");
  }

  /** As {@code :authority} writes it: an IPv6 host in brackets. */
  public String authority() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
