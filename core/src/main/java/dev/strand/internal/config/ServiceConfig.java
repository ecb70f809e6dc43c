package dev.strand.internal.config;

import dev.strand.MethodDescriptor;
import java.util.List;
import java.util.Map;

/**
 * A parsed, valid service config (service_config.md): per-method settings and the channel-wide
 * ones. Immutable; made by {@link ServiceConfigParser}.
 *
 * <p>A call finds its {@link MethodConfig} in one or two hash lookups built once per config: the
 * entry naming its method exactly, else the one naming its service alone, else the one naming
 * neither (the channel default), else none. A method of a service the config does not name costs
 * one lookup; with no method configs at all, none.
 */
public final class ServiceConfig {
  /** The empty config: nothing set (A21: valid, and what a channel with no config has). */
  public static final ServiceConfig EMPTY =
      new ServiceConfig(Map.of(), null, Map.of(), List.of(), null, null, null);

  /** The method configs of one service: its default and its methods' own. */
  record ServiceEntry(MethodConfig serviceDefault, Map<String, MethodConfig> methods) {}

  private final Map<String, Object> json;
  private final MethodConfig channelDefault;
  private final Map<String, ServiceEntry> byService;
  private final boolean hasMethodConfigs;
  private final List<MethodConfig> methodConfigs;
  private final LoadBalancingConfig loadBalancingConfig;
  private final RetryThrottling retryThrottling;
  private final HealthCheckConfig healthCheckConfig;

  ServiceConfig(
      Map<String, Object> json,
      MethodConfig channelDefault,
      Map<String, ServiceEntry> byService,
      List<MethodConfig> methodConfigs,
      LoadBalancingConfig loadBalancingConfig,
      RetryThrottling retryThrottling,
      HealthCheckConfig healthCheckConfig) {
    this.json = json;
    this.channelDefault = channelDefault;
    this.byService = byService;
    this.hasMethodConfigs = channelDefault != null || !byService.isEmpty();
    this.methodConfigs = methodConfigs;
    this.loadBalancingConfig = loadBalancingConfig;
    this.retryThrottling = retryThrottling;
    this.healthCheckConfig = healthCheckConfig;
  }

  /** The method config for calls of {@code method}, or null if no entry matches. */
  public MethodConfig methodConfig(MethodDescriptor<?, ?> method) {
    return methodConfig(method.serviceName(), method.methodName());
  }

  /**
   * The method config for {@code service}/{@code method} ({@code "pkg.Service"}, {@code "Method"}):
   * the exact entry, else the service's default, else the channel default; null if none.
   */
  public MethodConfig methodConfig(String service, String method) {
    if (!hasMethodConfigs) {
      return null;
    }
    ServiceEntry entry = byService.get(service);
    if (entry == null) {
      return channelDefault;
    }
    MethodConfig exact = entry.methods().get(method);
    if (exact != null) {
      return exact;
    }
    return entry.serviceDefault() != null ? entry.serviceDefault() : channelDefault;
  }

  /** The method config for a full method name, {@code "pkg.Service/Method"}; null if none. */
  public MethodConfig methodConfig(String fullMethodName) {
    int slash = fullMethodName.lastIndexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException(
          "not a full method name ('pkg.Service/Method'): " + fullMethodName);
    }
    return methodConfig(fullMethodName.substring(0, slash), fullMethodName.substring(slash + 1));
  }

  /** Whether any method config names a method, a service or the channel default. */
  public boolean hasMethodConfigs() {
    return hasMethodConfigs;
  }

  /** Every method config with at least one name, in the order of the config. */
  public List<MethodConfig> methodConfigs() {
    return methodConfigs;
  }

  /** The load-balancing policy the config chose, or null if it chose none. */
  public LoadBalancingConfig loadBalancingConfig() {
    return loadBalancingConfig;
  }

  /** The retry throttling of the channel (A6), or null if not configured. */
  public RetryThrottling retryThrottling() {
    return retryThrottling;
  }

  /** The health checking config (A17), or null if health checking is not configured. */
  public HealthCheckConfig healthCheckConfig() {
    return healthCheckConfig;
  }

  /** The config as parsed JSON, unknown fields and all, for showing it (service_config.md). */
  public Map<String, Object> json() {
    return json;
  }

  @Override
  public String toString() {
    return "ServiceConfig" + json;
  }
}
