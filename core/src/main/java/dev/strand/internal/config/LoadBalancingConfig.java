package dev.strand.internal.config;

import java.util.Map;
import java.util.Set;

/**
 * The load-balancing policy the service config chose: the first entry of {@code
 * loadBalancingConfig} whose policy this client has, or the deprecated {@code loadBalancingPolicy}
 * (load-balancing.md). The policy's own config is kept as the JSON object it was (each policy reads
 * its own); the built-in ones are checked here. It takes precedence over the builder's {@code
 * loadBalancingPolicy}.
 *
 * @param policy the policy's name, such as {@code "round_robin"}
 * @param config its config object, as JSON values ({@code Map}, {@code List}, {@code String},
 *     {@code Double}, {@code Boolean}); empty when it has none
 */
public record LoadBalancingConfig(String policy, Map<String, Object> config) {
  /** The policies a Strand channel has: A62's pick_first and round_robin. */
  public static final Set<String> BUILT_IN_POLICIES = Set.of("pick_first", "round_robin");

  /**
   * pick_first's {@code shuffleAddressList} (A62): whether to shuffle the resolved addresses before
   * trying them in order; false when unset or for another policy.
   */
  public boolean shuffleAddressList() {
    return "pick_first".equals(policy) && Boolean.TRUE.equals(config.get("shuffleAddressList"));
  }
}
