package dev.strand.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which web pages on other origins may call this server from a browser (CORS), for the protocols
 * browsers speak (gRPC-Web, Connect): set with {@link ServerBuilder#cors}; without it the server
 * sends no CORS headers and a browser refuses cross-origin calls. Immutable: each method returns a
 * changed copy.
 *
 * <p>The server answers preflights ({@code OPTIONS} with {@code Access-Control-Request-Method})
 * from an allowed origin with the methods (POST, GET) and request headers the web protocols need,
 * plus {@link #allowHeaders}; its responses to allowed origins expose the status headers ({@code
 * grpc-status}, {@code grpc-message}, {@code grpc-status-details-bin}, the compression headers),
 * plus {@link #exposeHeaders}. A page's own metadata must be named in both.
 *
 * <pre>{@code
 * Server.builder()
 *     .cors(Cors.allowOrigins("https://app.example").allowHeaders("authorization"))
 * }</pre>
 */
public final class Cors {
  /** Chrome caps a preflight's cache at two hours; Firefox at one day. */
  private static final Duration DEFAULT_MAX_AGE = Duration.ofHours(2);

  private final Set<String> origins;
  private final boolean anyOrigin;
  private final boolean credentials;
  private final Duration maxAge;
  private final List<String> allowedHeaders;
  private final List<String> exposedHeaders;

  private Cors(
      Set<String> origins,
      boolean credentials,
      Duration maxAge,
      List<String> allowedHeaders,
      List<String> exposedHeaders) {
    this.origins = origins;
    this.anyOrigin = origins.contains("*");
    this.credentials = credentials;
    this.maxAge = maxAge;
    this.allowedHeaders = allowedHeaders;
    this.exposedHeaders = exposedHeaders;
    if (anyOrigin && credentials) {
      throw new IllegalArgumentException(
          "CORS with credentials needs a list of origins: with '*' any site could make calls"
              + " carrying its visitors' cookies");
    }
  }

  /**
   * Pages on these origins may call: each {@code scheme://host} or {@code scheme://host:port}, as a
   * browser sends it in {@code Origin} (no path, no trailing slash), or {@code *} for any origin.
   * {@code *} does not cover the opaque origin {@code null} (sandboxed frames, files); name it to
   * allow it.
   */
  public static Cors allowOrigins(String... origins) {
    if (origins.length == 0) {
      throw new IllegalArgumentException("CORS needs at least one origin");
    }
    Set<String> checked = new LinkedHashSet<>();
    for (String origin : origins) {
      checked.add(checkOrigin(origin));
    }
    return new Cors(
        Collections.unmodifiableSet(checked), false, DEFAULT_MAX_AGE, List.of(), List.of());
  }

  /** Any origin may call (for development, or a public API that uses no cookies). */
  public static Cors allowAnyOrigin() {
    return allowOrigins("*");
  }

  /**
   * Browsers may send cookies and HTTP authentication with calls, and let the page read the answer
   * ({@code Access-Control-Allow-Credentials: true}). Not with {@code *}.
   */
  public Cors allowCredentials() {
    return new Cors(origins, true, maxAge, allowedHeaders, exposedHeaders);
  }

  /** How long a browser may reuse a preflight's answer (two hours by default; whole seconds). */
  public Cors maxAge(Duration maxAge) {
    if (maxAge.isNegative()) {
      throw new IllegalArgumentException("max age must not be negative, was " + maxAge);
    }
    return new Cors(origins, credentials, maxAge, allowedHeaders, exposedHeaders);
  }

  /** Request headers of the application's own that pages may send (its metadata). */
  public Cors allowHeaders(String... names) {
    return new Cors(origins, credentials, maxAge, plus(allowedHeaders, names), exposedHeaders);
  }

  /**
   * Response headers of the application's own that pages may read (its metadata, and trailers of a
   * Trailers-Only answer). Each is also exposed as {@code trailer-NAME}, how Connect's unary
   * responses carry trailers.
   */
  public Cors exposeHeaders(String... names) {
    return new Cors(origins, credentials, maxAge, allowedHeaders, plus(exposedHeaders, names));
  }

  /** The allowed origins as given, lower-cased; {@code *} for any. */
  public Set<String> origins() {
    return origins;
  }

  /** True if a page on this origin (an {@code Origin} header's value) may call. */
  public boolean allowsOrigin(String origin) {
    String lower = origin.toLowerCase(Locale.ROOT);
    return origins.contains(lower) || (anyOrigin && !"null".equals(lower));
  }

  public boolean allowsCredentials() {
    return credentials;
  }

  public Duration maxAge() {
    return maxAge;
  }

  /** The application's own request headers, lower-cased, beyond those the protocols need. */
  public List<String> allowedHeaders() {
    return allowedHeaders;
  }

  /** The application's own response headers, lower-cased, beyond the protocols' status headers. */
  public List<String> exposedHeaders() {
    return exposedHeaders;
  }

  @Override
  public String toString() {
    return "Cors{origins="
        + origins
        + ", credentials="
        + credentials
        + ", maxAge="
        + maxAge
        + ", allowedHeaders="
        + allowedHeaders
        + ", exposedHeaders="
        + exposedHeaders
        + "}";
  }

  private static String checkOrigin(String origin) {
    if ("*".equals(origin) || "null".equals(origin)) {
      return origin;
    }
    int scheme = origin.indexOf("://");
    boolean valid =
        scheme > 0
            && scheme + 3 < origin.length()
            && origin.indexOf('/', scheme + 3) < 0
            && origin.chars().noneMatch(c -> c <= ' ' || c >= 0x7f || c == '*' || c == ',');
    if (!valid) {
      throw new IllegalArgumentException(
          "not an origin: '"
              + origin
              + "' (want scheme://host or scheme://host:port, no path, or *)");
    }
    return origin.toLowerCase(Locale.ROOT);
  }

  private static List<String> plus(List<String> names, String... more) {
    List<String> all = new ArrayList<>(names);
    for (String name : more) {
      if (name.isEmpty() || !name.chars().allMatch(Cors::isTokenChar)) {
        throw new IllegalArgumentException("not a header name: '" + name + "'");
      }
      String lower = name.toLowerCase(Locale.ROOT);
      if (!all.contains(lower)) {
        all.add(lower);
      }
    }
    return List.copyOf(all);
  }

  /** RFC 9110's tchar. */
  private static boolean isTokenChar(int c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }
}
