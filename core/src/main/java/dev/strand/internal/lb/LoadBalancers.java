package dev.strand.internal.lb;

import dev.strand.spi.LoadBalancerProvider;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The policies a channel can use, by name: the ones given to its builder first, then those found
 * with {@link ServiceLoader}, then the built-in pick_first and round_robin.
 */
public final class LoadBalancers {
  private LoadBalancers() {}

  /** The provider of {@code policy}; throws naming the known policies if there is none. */
  public static LoadBalancerProvider forName(String policy, List<LoadBalancerProvider> given) {
    Map<String, LoadBalancerProvider> known = known(given);
    LoadBalancerProvider provider = known.get(policy);
    if (provider == null) {
      throw new IllegalArgumentException(
          "unknown load-balancing policy \"" + policy + "\"; known: " + known.keySet());
    }
    return provider;
  }

  /** The names of every policy a channel with these given providers can use. */
  public static java.util.Set<String> names(List<LoadBalancerProvider> given) {
    return known(given).keySet();
  }

  private static Map<String, LoadBalancerProvider> known(List<LoadBalancerProvider> given) {
    Map<String, LoadBalancerProvider> known = new LinkedHashMap<>();
    for (LoadBalancerProvider provider : given) {
      known.putIfAbsent(provider.policyName(), provider);
    }
    for (LoadBalancerProvider provider :
        ServiceLoader.load(
            LoadBalancerProvider.class, LoadBalancerProvider.class.getClassLoader())) {
      known.putIfAbsent(provider.policyName(), provider);
    }
    known.putIfAbsent("pick_first", new PickFirstLoadBalancer.Provider());
    known.putIfAbsent("round_robin", new RoundRobinLoadBalancer.Provider());
    return known;
  }
}
