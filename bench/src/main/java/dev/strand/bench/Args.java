package dev.strand.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code --name=value} flags (and bare {@code --name} for true), the way grpc's own benchmarks take
 * them.
 */
public final class Args {
  private final Map<String, String> values = new LinkedHashMap<>();

  public Args(String[] args) {
    for (String arg : args) {
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("expected --name=value, got '" + arg + "'");
      }
      int eq = arg.indexOf('=');
      if (eq < 0) {
        values.put(arg.substring(2), "true");
      } else {
        values.put(arg.substring(2, eq), arg.substring(eq + 1));
      }
    }
  }

  public String get(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  public int getInt(String name, int fallback) {
    String v = values.get(name);
    return v == null ? fallback : Integer.parseInt(v);
  }

  public long getLong(String name, long fallback) {
    String v = values.get(name);
    return v == null ? fallback : Long.parseLong(v);
  }

  public double getDouble(String name, double fallback) {
    String v = values.get(name);
    return v == null ? fallback : Double.parseDouble(v);
  }

  public boolean getBool(String name) {
    return Boolean.parseBoolean(values.getOrDefault(name, "false"));
  }

  /** Seconds, fractions allowed: {@code --duration=2.5}. */
  public Duration seconds(String name, double fallback) {
    return Duration.ofNanos((long) (getDouble(name, fallback) * 1e9));
  }
}
