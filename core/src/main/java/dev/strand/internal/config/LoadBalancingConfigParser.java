package dev.strand.internal.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The load-balancing part of a service config (load-balancing.md, A21): {@code
 * loadBalancingConfig}, a list of single-member objects ({@code [{"round_robin": {}}]}) of which
 * the first policy this client has wins, and the deprecated {@code loadBalancingPolicy} string,
 * used only when the list is absent or empty.
 */
final class LoadBalancingConfigParser {
  private LoadBalancingConfigParser() {}

  /** The policy chosen, or null if the config chooses none. */
  static LoadBalancingConfig parse(ConfigObject root, Set<String> supported) {
    List<?> list = root.list("loadBalancingConfig");
    if (list != null && !list.isEmpty()) {
      return fromList(root, list, supported);
    }
    String policy = root.string("loadBalancingPolicy");
    if (policy == null) {
      return null;
    }
    // The proto enum's JSON name is ROUND_ROBIN; configs written by hand say round_robin.
    String name = policy.toLowerCase(Locale.ROOT);
    if (!supported.contains(name)) {
      throw root.invalid(
          "loadBalancingPolicy",
          "\"" + policy + "\" is not a policy this client has (" + names(supported) + ")");
    }
    return new LoadBalancingConfig(name, Map.of());
  }

  private static LoadBalancingConfig fromList(
      ConfigObject root, List<?> list, Set<String> supported) {
    LoadBalancingConfig chosen = null;
    List<String> unknown = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      // Every entry must have the right shape, even those after the one chosen.
      ConfigObject entry = ConfigObject.of(root.pathOf("loadBalancingConfig", i), list.get(i));
      if (entry.members().size() != 1) {
        throw new ServiceConfigException(
            entry.path(),
            "must have exactly one member, the policy's name, such as {\"round_robin\": {}}; has "
                + entry.members().size());
      }
      String name = (String) entry.members().keySet().iterator().next();
      ConfigObject config = ConfigObject.of(entry.pathOf(name), entry.members().get(name));
      if (chosen == null && supported.contains(name)) {
        chosen = new LoadBalancingConfig(name, policyConfig(config, name));
      } else if (chosen == null) {
        unknown.add(name);
      }
    }
    if (chosen == null) {
      throw root.invalid(
          "loadBalancingConfig",
          "names no policy this client has: " + unknown + " (it has " + names(supported) + ")");
    }
    return chosen;
  }

  /** A built-in policy's config, checked; another policy's, as it is (that policy checks it). */
  @SuppressWarnings("unchecked") // JsonReader makes objects with String keys
  private static Map<String, Object> policyConfig(ConfigObject config, String policy) {
    if ("pick_first".equals(policy)) {
      config.bool("shuffleAddressList"); // A62
    }
    return (Map<String, Object>) config.members();
  }

  private static String names(Set<String> supported) {
    return String.join(", ", supported.stream().sorted().toList());
  }
}
