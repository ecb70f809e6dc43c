package dev.strand.spi;

import java.util.Map;

/**
 * Makes a load-balancing policy, by name ({@code pick_first}, {@code round_robin}, or a user's),
 * for {@code ChannelBuilder.loadBalancingPolicy} and the service config's {@code
 * loadBalancingConfig}. Found with {@link java.util.ServiceLoader} or given to the channel builder.
 */
public interface LoadBalancerProvider {

  /** The policy's name, as the service config spells it. */
  String policyName();

  /** A new policy for one channel. */
  LoadBalancer newLoadBalancer(LoadBalancer.Helper helper);

  /**
   * Checks a policy config from the service config; throws {@link IllegalArgumentException} saying
   * what is wrong. The default accepts any.
   */
  default void validateConfig(Map<String, ?> config) {}
}
