package dev.strand.netty.stream;

import dev.strand.server.ServerSettings;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The protocols one server speaks, and which of them serves a request. Each protocol that claims
 * requests is asked in order; what none claims goes to the fallback, gRPC, which answers what is
 * not gRPC with the HTTP errors gRPC's spec asks for (405, 415).
 */
public final class ServerProtocols {
  private final ServerProtocol[] claiming;
  private final ServerProtocol fallback;

  public ServerProtocols(List<ServerProtocol> claiming, ServerProtocol fallback) {
    this.claiming = claiming.toArray(new ServerProtocol[0]);
    this.fallback = fallback;
  }

  /** Every protocol a {@link ServerProtocol.Factory} brings, in front of the fallback. */
  public static ServerProtocols forServer(ServerSettings settings, ServerProtocol fallback) {
    List<ServerProtocol> found = new ArrayList<>();
    for (ServerProtocol.Factory factory :
        ServiceLoader.load(ServerProtocol.Factory.class, ServerProtocol.class.getClassLoader())) {
      found.add(factory.create(settings));
    }
    return new ServerProtocols(found, fallback);
  }

  public ServerProtocol select(Http2Headers requestHeaders) {
    for (ServerProtocol protocol : claiming) {
      if (protocol.accepts(requestHeaders)) {
        return protocol;
      }
    }
    return fallback;
  }
}
