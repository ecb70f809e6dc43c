package dev.strand.netty.grpc;

import dev.strand.server.ServerMethod;
import io.netty.util.AsciiString;
import java.util.HashMap;
import java.util.Map;

/**
 * A server's methods by request {@code :path} ("/package.Service/Method"), keyed by the path's
 * bytes: a received :path is looked up as decoded, without turning it into a String first. Built
 * once per server, read by every connection.
 */
public final class MethodTable {
  private final Map<AsciiString, ServerMethod<?, ?>> byPath = new HashMap<>();

  public MethodTable(Map<String, ServerMethod<?, ?>> byFullName) {
    byFullName.forEach((name, method) -> byPath.put(new AsciiString("/" + name), method));
  }

  /** The method at this :path, or null. */
  ServerMethod<?, ?> find(CharSequence path) {
    return byPath.get(path instanceof AsciiString ascii ? ascii : new AsciiString(path));
  }
}
