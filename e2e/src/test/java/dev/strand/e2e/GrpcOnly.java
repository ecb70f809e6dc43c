package dev.strand.e2e;

import dev.strand.server.Server;
import dev.strand.server.ServerBuilder;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts a server with strand-web's protocols (gRPC-Web, Connect, HTTP/JSON transcoding) turned off
 * by their switches, for tests of gRPC's own answers to requests that are not gRPC: e2e has
 * strand-web on its class path (the examples serve REST), and with it those requests would be a web
 * protocol's. Each protocol reads its switch when a server starts, so only this server is
 * gRPC-only.
 */
final class GrpcOnly {
  private static final List<String> SWITCHES =
      List.of("strand.grpcWeb", "strand.connect", "strand.transcoding");

  private GrpcOnly() {}

  static synchronized Server start(ServerBuilder builder) throws IOException {
    Map<String, String> before = new LinkedHashMap<>();
    for (String name : SWITCHES) {
      before.put(name, System.setProperty(name, "false"));
    }
    try {
      return builder.start();
    } finally {
      before.forEach(
          (name, value) -> {
            if (value == null) {
              System.clearProperty(name);
            } else {
              System.setProperty(name, value);
            }
          });
    }
  }
}
