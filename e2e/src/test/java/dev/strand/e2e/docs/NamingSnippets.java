package dev.strand.e2e.docs;

import dev.strand.ConnectivityState;
import dev.strand.Status;
import dev.strand.client.Channel;
import dev.strand.client.ManagedChannel;
import dev.strand.spi.LoadBalancer;
import dev.strand.spi.LoadBalancerProvider;
import dev.strand.spi.NameResolver;
import dev.strand.spi.NameResolverProvider;
import dev.strand.spi.PickResult;
import dev.strand.spi.TargetUri;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The code of docs/NAMING.md; NamingSnippetsRunTest runs it. */
final class NamingSnippets {
  private NamingSnippets() {}

  // snippet:start naming-static-resolver
  /** {@code fixed:///orders}: names from configuration, each a list of addresses. */
  static final class FixedResolverProvider implements NameResolverProvider {
    private final Map<String, List<InetSocketAddress>> services;

    FixedResolverProvider(Map<String, List<InetSocketAddress>> services) {
      this.services = services;
    }

    @Override
    public String scheme() {
      return "fixed";
    }

    @Override
    public NameResolver newResolver(TargetUri target, int defaultPort) {
      List<InetSocketAddress> addresses = services.get(target.path());
      if (addresses == null) {
        throw new IllegalArgumentException("no service named '" + target.path() + "'");
      }
      return new NameResolver() {
        @Override
        public String authority() {
          return target.path();
        }

        @Override
        public void start(Listener listener) {
          listener.onResult(addresses.stream().map(NameResolver.Endpoint::of).toList());
        }

        @Override
        public void close() {}
      };
    }
  }

  static ManagedChannel ordersChannel(Map<String, List<InetSocketAddress>> services) {
    return Channel.to("fixed:///orders")
        .nameResolver(new FixedResolverProvider(services))
        .plaintext()
        .build();
  }

  // snippet:end naming-static-resolver

  // snippet:start naming-custom-policy
  /**
   * {@code shard_affinity}: a connection to every server; calls with the same {@code x-shard}
   * header go to the same one while the READY set stays the same, others to the first READY.
   */
  static final class ShardAffinity implements LoadBalancer {
    private final Helper helper;
    private final Map<SocketAddress, Subchannel> subchannels = new LinkedHashMap<>();
    private final Map<SocketAddress, ConnectivityState> states = new HashMap<>();
    private Status lastError = Status.UNAVAILABLE.withDescription("not connected yet");

    ShardAffinity(Helper helper) {
      this.helper = helper;
    }

    @Override
    public void acceptResolvedAddresses(List<NameResolver.Endpoint> endpoints, Map<String, ?> cfg) {
      Set<SocketAddress> addresses = new HashSet<>();
      endpoints.forEach(e -> addresses.addAll(e.addresses()));
      for (SocketAddress gone : new ArrayList<>(subchannels.keySet())) {
        if (!addresses.contains(gone)) {
          subchannels.remove(gone).shutdown();
          states.remove(gone);
        }
      }
      for (SocketAddress address : addresses) {
        if (!subchannels.containsKey(address)) {
          Subchannel s = helper.createSubchannel(address, (state, why) -> on(address, state, why));
          subchannels.put(address, s);
          s.requestConnection();
        }
      }
      publish();
    }

    private void on(SocketAddress address, ConnectivityState state, Status why) {
      if (!subchannels.containsKey(address)) {
        return; // shut down
      }
      states.put(address, state);
      if (state == ConnectivityState.TRANSIENT_FAILURE) {
        lastError = why;
      } else if (state == ConnectivityState.IDLE) {
        subchannels.get(address).requestConnection(); // stay connected
      }
      publish();
    }

    private void publish() {
      List<PickResult> ready = new ArrayList<>();
      subchannels.forEach(
          (address, s) -> {
            if (states.get(address) == ConnectivityState.READY) {
              ready.add(PickResult.withSubchannel(s)); // made once per picker, not per call
            }
          });
      if (!ready.isEmpty()) {
        helper.updateBalancingState(
            ConnectivityState.READY,
            call -> {
              String shard = call.headers().get("x-shard");
              return ready.get(shard == null ? 0 : Math.floorMod(shard.hashCode(), ready.size()));
            });
      } else if (states.values().stream().allMatch(s -> s == ConnectivityState.TRANSIENT_FAILURE)
          && states.size() == subchannels.size()) {
        Status error = lastError;
        helper.updateBalancingState(
            ConnectivityState.TRANSIENT_FAILURE, call -> PickResult.withError(error));
      } else {
        helper.updateBalancingState(ConnectivityState.CONNECTING, call -> PickResult.queue());
      }
    }

    @Override
    public void handleNameResolutionError(Status error) {
      if (subchannels.isEmpty()) {
        helper.updateBalancingState(
            ConnectivityState.TRANSIENT_FAILURE, call -> PickResult.withError(error));
      }
    }

    @Override
    public void requestConnection() {
      subchannels.values().forEach(Subchannel::requestConnection);
    }

    @Override
    public void shutdown() {
      subchannels.values().forEach(Subchannel::shutdown);
      subchannels.clear();
    }
  }

  static final class ShardAffinityProvider implements LoadBalancerProvider {
    @Override
    public String policyName() {
      return "shard_affinity";
    }

    @Override
    public LoadBalancer newLoadBalancer(LoadBalancer.Helper helper) {
      return new ShardAffinity(helper);
    }
  }

  static ManagedChannel shardedChannel(String target) {
    return Channel.to(target)
        .loadBalancer(new ShardAffinityProvider())
        .loadBalancingPolicy("shard_affinity")
        .plaintext()
        .build();
  }
  // snippet:end naming-custom-policy
}
