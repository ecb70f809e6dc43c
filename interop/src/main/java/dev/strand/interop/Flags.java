package dev.strand.interop;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** gRPC interop flags: {@code --name=value}, and {@code --name} alone for true. */
final class Flags {
  private final Map<String, String> values = new LinkedHashMap<>();

  private Flags() {}

  /** Parses the arguments, refusing names outside {@code known} so a typo fails loudly. */
  static Flags parse(String[] args, Set<String> known) {
    Flags flags = new Flags();
    for (String arg : args) {
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("not a flag: '" + arg + "' (expected --name=value)");
      }
      int eq = arg.indexOf('=');
      String name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
      String value = eq < 0 ? "true" : arg.substring(eq + 1);
      if (!known.contains(name)) {
        throw new IllegalArgumentException("unknown flag --" + name + "; known: " + known);
      }
      flags.values.put(name, value);
    }
    return flags;
  }

  String get(String name, String fallback) {
    String v = values.get(name);
    return v == null || v.isEmpty() ? fallback : v;
  }

  int getInt(String name, int fallback) {
    String v = values.get(name);
    try {
      return v == null ? fallback : Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " must be a number, was '" + v + "'");
    }
  }

  boolean getBool(String name, boolean fallback) {
    String v = values.get(name);
    if (v == null) {
      return fallback;
    }
    return switch (v.toLowerCase(java.util.Locale.ROOT)) {
      case "true", "1", "yes" -> true;
      case "false", "0", "no" -> false;
      default -> throw new IllegalArgumentException("--" + name + " must be true or false");
    };
  }
}
