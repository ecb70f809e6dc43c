package dev.strand.spi;

import java.util.Objects;

/**
 * A channel target split as gRPC's naming.md reads it, a URI: {@code scheme:[//authority/]path}.
 * The scheme picks the resolver; the authority (optional) is for the resolver (the DNS server to
 * ask, for {@code dns:}); the path is the name to resolve. A target with no scheme, or a scheme no
 * resolver knows, is a DNS name: {@code host:port} means {@code dns:///host:port}.
 *
 * @param scheme lowercase, never empty
 * @param authority the part after {@code //}, or null when the target has none
 * @param path the name to resolve, without the slash after the authority
 * @param text the target as the user wrote it
 */
public record TargetUri(String scheme, String authority, String path, String text) {

  public TargetUri {
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(text, "text");
  }

  /**
   * Splits a target that starts with a URI scheme ({@code ALPHA *( ALPHA / DIGIT / "+" / "-" / "."
   * ) ":"}); null if it does not (such as {@code 127.0.0.1:443} or {@code [::1]:443}). {@code
   * localhost:50051} does split, as scheme {@code localhost}: the caller falls back to DNS when no
   * resolver has that scheme.
   */
  public static TargetUri parse(String text) {
    int colon = text.indexOf(':');
    if (colon <= 0 || !isScheme(text.substring(0, colon))) {
      return null;
    }
    String scheme = text.substring(0, colon).toLowerCase(java.util.Locale.ROOT);
    String rest = text.substring(colon + 1);
    if (rest.startsWith("//")) {
      int slash = rest.indexOf('/', 2);
      String authority = slash < 0 ? rest.substring(2) : rest.substring(2, slash);
      String path = slash < 0 ? "" : rest.substring(slash + 1);
      return new TargetUri(scheme, authority, path, text);
    }
    return new TargetUri(scheme, null, rest, text);
  }

  /** The target as a DNS name: {@code dns:///text}. */
  public static TargetUri dns(String text) {
    return new TargetUri("dns", null, text, text);
  }

  private static boolean isScheme(String s) {
    char first = s.charAt(0);
    if (!(first >= 'a' && first <= 'z') && !(first >= 'A' && first <= 'Z')) {
      return false;
    }
    for (int i = 1; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '+'
              || c == '-'
              || c == '.';
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
