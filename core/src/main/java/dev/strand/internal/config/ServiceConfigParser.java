package dev.strand.internal.config;

import dev.strand.internal.json.JsonException;
import dev.strand.internal.json.JsonReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses and validates a service config in its canonical JSON form (service_config.md) in one go,
 * as A21 asks: a config is valid as a whole or refused as a whole, with a {@link
 * ServiceConfigException} naming the first field found wrong. Unknown fields are ignored; known
 * fields are checked as service_config.proto and the gRFCs say (A6 for retries, hedging and
 * throttling, A17 for health checking, A62 for pick_first).
 */
public final class ServiceConfigParser {
  /** uint32's largest value, the bound of the message size fields. */
  private static final long UINT32_MAX = 0xFFFF_FFFFL;

  private ServiceConfigParser() {}

  /** Parses {@code json}; a channel with the built-in load-balancing policies reads it. */
  public static ServiceConfig parse(String json) {
    return parse(json, LoadBalancingConfig.BUILT_IN_POLICIES);
  }

  /**
   * Parses {@code json} for a client that has the load-balancing policies {@code lbPolicies}: the
   * first of {@code loadBalancingConfig} among them is chosen, and a config naming none of them is
   * invalid (A21).
   */
  public static ServiceConfig parse(String json, Set<String> lbPolicies) {
    Object value;
    try {
      value = JsonReader.parse(json);
    } catch (JsonException e) {
      throw new ServiceConfigException("", "not JSON: " + e.getMessage(), e);
    }
    return parse(value, lbPolicies);
  }

  /** Parses a config already read as JSON values ({@link JsonReader}'s), such as a resolver's. */
  public static ServiceConfig parse(Object json, Set<String> lbPolicies) {
    ConfigObject root = ConfigObject.of("", json);
    MethodConfigs methods = methodConfigs(root);
    ConfigObject throttling = root.object("retryThrottling");
    ConfigObject health = root.object("healthCheckConfig");
    @SuppressWarnings("unchecked") // JsonReader makes objects with String keys
    Map<String, Object> members = (Map<String, Object>) root.members();
    return new ServiceConfig(
        members,
        methods.channelDefault,
        methods.byService(),
        List.copyOf(methods.all),
        LoadBalancingConfigParser.parse(root, lbPolicies),
        throttling == null ? null : RetryPolicyParser.retryThrottling(throttling),
        healthCheckConfig(health));
  }

  /** A17: a health check config without a service name turns health checking off. */
  private static HealthCheckConfig healthCheckConfig(ConfigObject health) {
    String serviceName = health == null ? null : health.string("serviceName");
    return serviceName == null ? null : new HealthCheckConfig(serviceName);
  }

  /** One {@code name} of a method config; an empty string stands for unset. */
  private record Name(String service, String method) {
    @Override
    public String toString() {
      if (service.isEmpty()) {
        return "the channel default (no service, no method)";
      }
      return method.isEmpty()
          ? "service \"" + service + "\""
          : "method \"" + service + "/" + method + "\"";
    }
  }

  /** The method configs being gathered, each name once. */
  private static final class MethodConfigs {
    final List<MethodConfig> all = new ArrayList<>();
    final Map<Name, String> pathOfName = new HashMap<>();
    final Map<String, MethodConfig> serviceDefaults = new HashMap<>();
    final Map<String, Map<String, MethodConfig>> methods = new HashMap<>();
    MethodConfig channelDefault;

    void add(Name name, MethodConfig config) {
      if (name.service().isEmpty()) {
        channelDefault = config;
      } else if (name.method().isEmpty()) {
        serviceDefaults.put(name.service(), config);
      } else {
        methods.computeIfAbsent(name.service(), s -> new HashMap<>()).put(name.method(), config);
      }
    }

    Map<String, ServiceConfig.ServiceEntry> byService() {
      Map<String, ServiceConfig.ServiceEntry> byService = new HashMap<>();
      for (String service : serviceDefaults.keySet()) {
        byService.put(
            service, new ServiceConfig.ServiceEntry(serviceDefaults.get(service), Map.of()));
      }
      methods.forEach(
          (service, ofService) ->
              byService.put(
                  service,
                  new ServiceConfig.ServiceEntry(
                      serviceDefaults.get(service), Map.copyOf(ofService))));
      return Map.copyOf(byService);
    }
  }

  private static MethodConfigs methodConfigs(ConfigObject root) {
    MethodConfigs configs = new MethodConfigs();
    List<?> entries = root.list("methodConfig");
    if (entries == null) {
      return configs;
    }
    for (int i = 0; i < entries.size(); i++) {
      ConfigObject entry = ConfigObject.of(root.pathOf("methodConfig", i), entries.get(i));
      MethodConfig config = methodConfig(entry);
      List<?> names = entry.list("name");
      if (names == null || names.isEmpty()) {
        continue; // service_config.proto: a method config without names is skipped
      }
      configs.all.add(config);
      for (int j = 0; j < names.size(); j++) {
        ConfigObject nameObject = ConfigObject.of(entry.pathOf("name", j), names.get(j));
        Name name = name(nameObject);
        String first = configs.pathOfName.putIfAbsent(name, nameObject.path());
        if (first != null) {
          throw new ServiceConfigException(
              nameObject.path(),
              "names "
                  + name
                  + " again, as "
                  + first
                  + " does: each name may appear once in a service config");
        }
        configs.add(name, config);
      }
    }
    return configs;
  }

  /**
   * A name: {@code {"service": "pkg.Service", "method": "Method"}}; a service alone is the
   * service's default, neither is the channel default. Absent, null and "" are the same
   * (service_config.proto).
   */
  private static Name name(ConfigObject name) {
    String service = name.string("service");
    String method = name.string("method");
    service = service == null ? "" : service;
    method = method == null ? "" : method;
    if (service.isEmpty() && !method.isEmpty()) {
      throw name.invalid(
          "method",
          "is \""
              + method
              + "\" but the service is empty: a name without a service is the channel default and"
              + " names no method");
    }
    return new Name(service, method);
  }

  private static MethodConfig methodConfig(ConfigObject entry) {
    Duration timeout = entry.duration("timeout");
    if (timeout != null && timeout.isNegative()) {
      throw entry.invalid(
          "timeout",
          "must not be negative, was " + ConfigObject.describe(entry.members().get("timeout")));
    }
    ConfigObject retry = entry.object("retryPolicy");
    ConfigObject hedging = entry.object("hedgingPolicy");
    if (retry != null && hedging != null) {
      throw entry.invalid(
          "hedgingPolicy", "is set together with retryPolicy: a method may have only one of them");
    }
    return new MethodConfig(
        timeout,
        entry.bool("waitForReady"),
        messageBytes(entry, "maxRequestMessageBytes"),
        messageBytes(entry, "maxResponseMessageBytes"),
        retry == null ? null : RetryPolicyParser.retryPolicy(retry),
        hedging == null ? null : RetryPolicyParser.hedgingPolicy(hedging));
  }

  /** A uint32 size (a {@code google.protobuf.UInt32Value}), kept as at most Integer.MAX_VALUE. */
  private static Integer messageBytes(ConfigObject entry, String key) {
    Long bytes = entry.integer(key);
    if (bytes == null) {
      return null;
    }
    if (bytes < 0 || bytes > UINT32_MAX) {
      throw entry.invalid(key, "must be a byte count from 0 to " + UINT32_MAX + ", was " + bytes);
    }
    // A limit beyond what a Java array holds limits nothing more than Integer.MAX_VALUE does.
    return (int) Math.min(bytes, Integer.MAX_VALUE);
  }
}
