package dev.strand.netty.client;

import dev.strand.client.ChannelSettings;
import dev.strand.internal.client.ServiceConfigs;
import dev.strand.internal.config.LoadBalancingConfig;
import dev.strand.internal.config.ServiceConfig;
import dev.strand.internal.config.ServiceConfigParser;
import dev.strand.internal.lb.LoadBalancers;
import dev.strand.internal.retry.RetryResources;
import dev.strand.internal.retry.RetryThrottle;
import dev.strand.spi.LoadBalancerProvider;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A channel's service config in force (service_config.md): the builder's default, replaced by the
 * one the resolver hands over (unless look-up is disabled), with A21's rule that an invalid config
 * from the resolver leaves the last good one in force. Calls read {@link #current} (a volatile
 * read); the retry throttle is made again when a new config brings one.
 */
final class ChannelServiceConfig implements ServiceConfigs {
  private static final Logger log = Logger.getLogger(ChannelServiceConfig.class.getName());

  private final ChannelSettings settings;
  private final Set<String> policies;
  private final ServiceConfig defaultConfig;
  private volatile ServiceConfig current;
  private volatile RetryResources retries;

  /** The resolver's last valid config, or null. Synchronization context only. */
  private ServiceConfig lastResolved;

  /** Parses and checks the default config and its policy: an error fails the channel's build(). */
  ChannelServiceConfig(ChannelSettings settings) {
    this.settings = settings;
    this.policies = LoadBalancers.names(settings.loadBalancers());
    this.defaultConfig =
        settings.defaultServiceConfig() == null
            ? ServiceConfig.EMPTY
            : ServiceConfigParser.parse(settings.defaultServiceConfig(), policies);
    choiceFor(defaultConfig); // an unknown policy or a bad policy config fails here
    install(defaultConfig);
  }

  ServiceConfig current() {
    return current;
  }

  RetryResources retries() {
    return retries;
  }

  @Override
  public Choice initial() {
    return choiceFor(current);
  }

  @Override
  public Choice onResolved(String json) {
    if (!settings.serviceConfigLookUp()) {
      return choiceFor(current);
    }
    ServiceConfig next;
    if (json == null) {
      next = defaultConfig; // the name has none: the default applies
      lastResolved = null;
    } else {
      try {
        next = ServiceConfigParser.parse(json, policies);
        choiceFor(next);
        lastResolved = next;
      } catch (IllegalArgumentException e) {
        next = lastResolved != null ? lastResolved : defaultConfig;
        log.log(
            Level.WARNING,
            "the resolver's service config for {0} is invalid, keeping the {1} one: {2}",
            new Object[] {
              settings.target(), lastResolved != null ? "last good" : "default", e.getMessage()
            });
      }
    }
    if (next != current) {
      install(next);
    }
    return choiceFor(next);
  }

  private void install(ServiceConfig config) {
    retries =
        new RetryResources(
            config.retryThrottling() == null ? null : new RetryThrottle(config.retryThrottling()),
            ClientResources.eventLoopGroup(),
            RetryResources.PER_CALL_BUFFER_LIMIT,
            RetryResources.PER_CHANNEL_BUFFER_LIMIT);
    current = config;
  }

  /** The config's policy wins over the builder's (load-balancing.md). */
  private Choice choiceFor(ServiceConfig config) {
    LoadBalancingConfig chosen = config.loadBalancingConfig();
    String name = chosen != null ? chosen.policy() : settings.loadBalancingPolicy();
    Map<String, ?> policyConfig = chosen != null ? chosen.config() : Map.of();
    LoadBalancerProvider policy = LoadBalancers.forName(name, settings.loadBalancers());
    policy.validateConfig(policyConfig);
    return new Choice(
        policy,
        policyConfig,
        config.healthCheckConfig() == null ? null : config.healthCheckConfig().serviceName());
  }
}
