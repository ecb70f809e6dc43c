package dev.strand.internal.client;

import java.net.InetSocketAddress;

/** A parsed channel target: {@code host:port}, {@code [v6]:port} or {@code dns:///host:port}. */
public record Target(String host, int port, java.nio.file.Path unixPath) {

  public Target(String host, int port) {
    this(host, port, null);
  }

  public static Target parse(String target) {
    if (target.startsWith("unix:")) {
      // unix:///absolute/path or unix:relative/path, per gRPC's naming.md.
      String path =
          target.startsWith("unix://")
              ? target.substring("unix://".length())
              : target.substring("unix:".length());
      if (path.isEmpty()) {
        throw new IllegalArgumentException("unix target has no path: " + target);
      }
      return new Target("localhost", -1, java.nio.file.Paths.get(path));
    }
    String t = target;
    if (t.startsWith("dns:///")) {
      t = t.substring("dns:///".length());
    } else if (t.startsWith("dns:")) {
      throw new IllegalArgumentException(
          "dns targets with an authority are not supported: " + target);
    }
    String host;
    String portText;
    if (t.startsWith("[")) {
      int close = t.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("unclosed '[' in target " + target);
      }
      host = t.substring(1, close);
      portText =
          t.length() > close + 1 && t.charAt(close + 1) == ':' ? t.substring(close + 2) : "443";
    } else {
      int colon = t.lastIndexOf(':');
      if (colon < 0) {
        host = t;
        portText = "443";
      } else {
        host = t.substring(0, colon);
        portText = t.substring(colon + 1);
      }
    }
    if (host.isEmpty()) {
      throw new IllegalArgumentException("target has no host: " + target);
    }
    try {
      int port = Integer.parseInt(portText);
      if (port <= 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return new Target(host, port);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("target has a bad port: " + target);
    }
  }

  /** The {@code :authority} for this target. */
  public String authority() {
    if (unixPath != null) {
      return "localhost";
    }
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  /** Where to connect: the host and port, or the Unix domain socket (as the JDK names it). */
  public java.net.SocketAddress socketAddress() {
    return unixPath != null
        ? java.net.UnixDomainSocketAddress.of(unixPath)
        : new InetSocketAddress(host, port);
  }
}
