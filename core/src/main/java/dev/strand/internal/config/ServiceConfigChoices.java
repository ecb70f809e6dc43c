package dev.strand.internal.config;

import dev.strand.internal.json.JsonReader;
import dev.strand.internal.json.JsonWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * gRFC A2: a service config published in DNS, as the TXT record {@code _grpc_config.<name>} with
 * the text {@code grpc_config=} and a JSON list of choices, each with optional criteria ({@code
 * clientLanguage}, {@code percentage}, {@code clientHostname}) and a {@code serviceConfig}. The
 * first choice whose criteria all match this client wins.
 */
public final class ServiceConfigChoices {
  public static final String TXT_PREFIX = "grpc_config=";

  private static final Set<String> FIELDS =
      Set.of("clientLanguage", "percentage", "clientHostname", "serviceConfig");

  private ServiceConfigChoices() {}

  /**
   * The chosen service config as JSON text, or null if no choice matches this client.
   *
   * @param choices the text after {@code grpc_config=}
   * @param percentile this client's draw in [0, 100): a choice with {@code percentage} p matches if
   *     the draw is below p
   * @throws ServiceConfigException if the text is not a list of valid choices
   */
  public static String select(String choices, String hostname, int percentile) {
    Object parsed;
    try {
      parsed = JsonReader.parse(choices);
    } catch (RuntimeException e) {
      throw new ServiceConfigException("grpc_config", "not JSON: " + e.getMessage(), e);
    }
    if (!(parsed instanceof List<?> list)) {
      throw new ServiceConfigException("grpc_config", "must be a JSON list of choices");
    }
    for (int i = 0; i < list.size(); i++) {
      String path = "grpc_config[" + i + "]";
      if (!(list.get(i) instanceof Map<?, ?> choice)) {
        throw new ServiceConfigException(path, "must be an object");
      }
      for (Object key : choice.keySet()) {
        if (!FIELDS.contains(key)) {
          throw new ServiceConfigException(path + "." + key, "is not a field of a choice (A2)");
        }
      }
      if (!(choice.get("serviceConfig") instanceof Map<?, ?> config)) {
        throw new ServiceConfigException(path + ".serviceConfig", "must be an object");
      }
      if (matches(choice, path, hostname, percentile)) {
        return JsonWriter.write(config);
      }
    }
    return null;
  }

  private static boolean matches(Map<?, ?> choice, String path, String host, int percentile) {
    Object languages = choice.get("clientLanguage");
    if (languages != null && !contains(languages, path + ".clientLanguage", "java")) {
      return false;
    }
    Object hostnames = choice.get("clientHostname");
    if (hostnames != null && !contains(hostnames, path + ".clientHostname", host)) {
      return false;
    }
    Object percentage = choice.get("percentage");
    if (percentage == null) {
      return true;
    }
    if (!(percentage instanceof Number n) || n.doubleValue() < 0 || n.doubleValue() > 100) {
      throw new ServiceConfigException(path + ".percentage", "must be a number from 0 to 100");
    }
    return percentile < n.doubleValue();
  }

  /** An empty list matches every client (A2); names compare without case. */
  private static boolean contains(Object list, String path, String wanted) {
    if (!(list instanceof List<?> values)) {
      throw new ServiceConfigException(path, "must be a list of strings");
    }
    if (values.isEmpty()) {
      return true;
    }
    for (Object v : values) {
      if (!(v instanceof String s)) {
        throw new ServiceConfigException(path, "must be a list of strings");
      }
      if (wanted != null && s.toLowerCase(Locale.ROOT).equals(wanted.toLowerCase(Locale.ROOT))) {
        return true;
      }
    }
    return false;
  }
}
