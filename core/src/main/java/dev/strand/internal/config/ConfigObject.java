package dev.strand.internal.config;

import dev.strand.internal.json.JsonReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A JSON object of the service config, read field by field with its path, so that every error names
 * the field it is about. Fields follow protobuf's JSON mapping, which service_config.md prescribes:
 * a member that is absent or {@code null} is unset; an integer or a number may also be written as a
 * string holding one ({@code "251"}, as 64-bit integers must be); unknown members are ignored
 * (A21).
 */
final class ConfigObject {
  private final String path;
  private final Map<?, ?> members;

  private ConfigObject(String path, Map<?, ?> members) {
    this.path = path;
    this.members = members;
  }

  /** The value at {@code path} as an object; fails naming the path if it is anything else. */
  static ConfigObject of(String path, Object value) {
    if (!(value instanceof Map<?, ?> map)) {
      throw new ServiceConfigException(path, "must be a JSON object, was " + describe(value));
    }
    return new ConfigObject(path, map);
  }

  String path() {
    return path;
  }

  Map<?, ?> members() {
    return members;
  }

  /** The path of a member of this object. */
  String pathOf(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  boolean has(String key) {
    return members.get(key) != null;
  }

  ServiceConfigException invalid(String key, String problem) {
    return new ServiceConfigException(pathOf(key), problem);
  }

  String string(String key) {
    Object value = members.get(key);
    if (value == null || value instanceof String) {
      return (String) value;
    }
    throw invalid(key, "must be a string, was " + describe(value));
  }

  Boolean bool(String key) {
    Object value = members.get(key);
    if (value == null || value instanceof Boolean) {
      return (Boolean) value;
    }
    throw invalid(key, "must be true or false, was " + describe(value));
  }

  /** A number, or null if unset. */
  Double number(String key) {
    Object value = members.get(key);
    if (value == null || value instanceof Double) {
      return (Double) value;
    }
    Double inString = value instanceof String s ? numberIn(s) : null;
    if (inString == null) {
      throw invalid(key, "must be a number, was " + describe(value));
    }
    return inString;
  }

  /** An integer (a number with no fraction), or null if unset. */
  Long integer(String key) {
    Object raw = members.get(key);
    if (raw == null) {
      return null;
    }
    Double value = raw instanceof String s ? numberIn(s) : raw instanceof Double d ? d : null;
    // Beyond 2^53 a double is no longer exact: no field of the service config comes near.
    if (value == null || value != Math.rint(value) || Math.abs(value) > 0x1p53) {
      throw invalid(key, "must be an integer, was " + describe(raw));
    }
    return value.longValue();
  }

  /** A duration in protobuf's JSON form ({@code "1.5s"}), or null if unset. */
  Duration duration(String key) {
    Object value = members.get(key);
    if (value == null) {
      return null;
    }
    Duration d = value instanceof String s ? ProtoDuration.parse(s) : null;
    if (d == null) {
      throw invalid(
          key,
          "must be a duration: seconds with up to 9 decimals and an 's', such as \"1.5s\", was "
              + describe(value));
    }
    return d;
  }

  /** An array, or null if unset. */
  List<?> list(String key) {
    Object value = members.get(key);
    if (value == null || value instanceof List) {
      return (List<?>) value;
    }
    throw invalid(key, "must be an array, was " + describe(value));
  }

  /** An object, or null if unset. */
  ConfigObject object(String key) {
    Object value = members.get(key);
    return value == null ? null : of(pathOf(key), value);
  }

  /** The path of an element of an array member of this object. */
  String pathOf(String key, int index) {
    return pathOf(key) + "[" + index + "]";
  }

  /** A JSON value as an error message quotes it. */
  static String describe(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof String s) {
      return "\"" + (s.length() > 60 ? s.substring(0, 60) + "..." : s) + "\"";
    }
    if (value instanceof Double d) {
      return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString(d.longValue()) : d.toString();
    }
    if (value instanceof Map) {
      return "an object";
    }
    if (value instanceof List) {
      return "an array";
    }
    return value.toString();
  }

  /** The number a string holds in JSON's own form ({@code "1e3"}, not {@code "NaN"}), or null. */
  private static Double numberIn(String s) {
    if (s.isEmpty() || s.length() > 64 || s.charAt(s.length() - 1) < '0') {
      return null;
    }
    char first = s.charAt(0);
    if (first != '-' && (first < '0' || first > '9')) {
      return null;
    }
    try {
      return JsonReader.parse(s) instanceof Double d ? d : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
