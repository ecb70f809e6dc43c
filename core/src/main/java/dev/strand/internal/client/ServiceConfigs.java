package dev.strand.internal.client;

import dev.strand.spi.LoadBalancerProvider;
import java.util.Map;

/**
 * Where a channel's load-balancing policy and health-check name come from: the service config in
 * force, the channel's default until a resolver hands one over (service_config.md).
 */
public interface ServiceConfigs {

  /** What the channel's default config chooses. */
  Choice initial();

  /**
   * A resolver's result came with this service config (JSON text; null for none, which means the
   * default); returns the choice in force from now on. An invalid config leaves the last good one
   * in force (A21). Also changes what the channel's calls are configured with.
   */
  Choice onResolved(String serviceConfigJson);

  /**
   * A policy and its config, and the name client-side health checks ask about (null: none).
   *
   * @param healthService A17's {@code healthCheckConfig.serviceName}
   */
  record Choice(LoadBalancerProvider policy, Map<String, ?> policyConfig, String healthService) {}
}
