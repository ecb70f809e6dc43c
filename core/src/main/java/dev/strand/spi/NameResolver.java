package dev.strand.spi;

import dev.strand.Status;
import java.net.SocketAddress;
import java.util.List;

/**
 * Turns one channel target into the addresses of its servers, and keeps doing so as they change
 * (naming.md). Made by a {@link NameResolverProvider} for the target's scheme. The channel calls
 * {@link #start} once, {@link #refresh} when it has reason to think the addresses changed (a
 * connection was lost, a server sent GOAWAY), and {@link #close} when it shuts down. A resolver
 * must never block the thread that calls it: look names up on a thread or event loop of its own.
 */
public interface NameResolver {

  /**
   * The authority calls on this channel carry ({@code :authority}, and the name a TLS certificate
   * is checked against) unless the builder overrides it: for {@code dns:///host:port}, {@code
   * host:port}.
   */
  String authority();

  /** Starts resolving; results go to {@code listener}, one at a time, on any thread. */
  void start(Listener listener);

  /** A hint to resolve again soon; a resolver may ignore it or rate-limit it. */
  default void refresh() {}

  /** Stops: no more results, timers cancelled. */
  void close();

  /** Receives a resolver's results. Calls never overlap. */
  interface Listener {

    /** The current servers, each an endpoint; replaces the previous result. Never empty. */
    void onResult(List<Endpoint> endpoints);

    /**
     * The current servers and the service config the name comes with (service_config.md, as JSON
     * text; null for none), which replaces the channel's default config unless the channel was
     * built with {@code disableServiceConfigLookUp()}. An invalid config is logged and the last
     * good one stays in force (A21).
     */
    default void onResult(List<Endpoint> endpoints, String serviceConfigJson) {
      onResult(endpoints);
    }

    /**
     * Resolution failed (UNAVAILABLE, with what went wrong). The channel keeps the last good
     * result, if there was one; calls that need addresses and have none fail with this status.
     */
    void onError(Status error);
  }

  /**
   * One server: the addresses it is reachable at (more than one for a dual-stack server, A61), in
   * the order to try them.
   */
  record Endpoint(List<SocketAddress> addresses) {
    public Endpoint {
      addresses = List.copyOf(addresses);
      if (addresses.isEmpty()) {
        throw new IllegalArgumentException("an endpoint needs at least one address");
      }
    }

    public static Endpoint of(SocketAddress address) {
      return new Endpoint(List.of(address));
    }
  }
}
