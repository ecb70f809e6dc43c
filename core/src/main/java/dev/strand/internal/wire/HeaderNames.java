package dev.strand.internal.wire;

/** Header names and fixed values of the gRPC HTTP/2 mapping. */
public final class HeaderNames {
  private HeaderNames() {}

  public static final String CONTENT_TYPE = "content-type";
  public static final String TE = "te";
  public static final String USER_AGENT = "user-agent";
  public static final String GRPC_STATUS = "grpc-status";
  public static final String GRPC_MESSAGE = "grpc-message";
  public static final String GRPC_TIMEOUT = "grpc-timeout";
  public static final String GRPC_ENCODING = "grpc-encoding";
  public static final String GRPC_ACCEPT_ENCODING = "grpc-accept-encoding";
  public static final String GRPC_STATUS_DETAILS_BIN = "grpc-status-details-bin";

  /** A6: how many attempts came before this one, for the server application to read. */
  public static final String GRPC_PREVIOUS_RPC_ATTEMPTS = "grpc-previous-rpc-attempts";

  /** A6: the server application's pushback, in a failed call's trailers. */
  public static final String GRPC_RETRY_PUSHBACK_MS = "grpc-retry-pushback-ms";

  /** The trace context in OpenCensus's binary form (A72): a tracer's, not the protocol's. */
  public static final String GRPC_TRACE_BIN = "grpc-trace-bin";

  public static final String APPLICATION_GRPC = "application/grpc";
  public static final String TRAILERS = "trailers";

  /** True for a content-type this server accepts: application/grpc and its +suffix forms. */
  public static boolean isGrpcContentType(CharSequence contentType) {
    if (contentType == null) {
      return false;
    }
    String ct = contentType.toString().toLowerCase(java.util.Locale.ROOT);
    if (!ct.startsWith(APPLICATION_GRPC)) {
      return false;
    }
    if (ct.length() == APPLICATION_GRPC.length()) {
      return true;
    }
    char next = ct.charAt(APPLICATION_GRPC.length());
    return next == '+' || next == ';';
  }

  /**
   * Headers that belong to the protocol and never reach the application as metadata. The {@code
   * grpc-} names meant for applications are the exceptions: {@code grpc-status-details-bin} (rich
   * error details), A6's {@code grpc-previous-rpc-attempts} and {@code grpc-retry-pushback-ms}, and
   * A72's {@code grpc-trace-bin} (a trace context, for tracers and interceptors).
   */
  public static boolean isReserved(CharSequence name) {
    int len = name.length();
    if (len == 0 || name.charAt(0) == ':') {
      return true;
    }
    // Compared as CharSequences: this runs for every header of every call.
    if (startsWith(name, "grpc-")) {
      return !same(name, GRPC_STATUS_DETAILS_BIN)
          && !same(name, GRPC_PREVIOUS_RPC_ATTEMPTS)
          && !same(name, GRPC_RETRY_PUSHBACK_MS)
          && !same(name, GRPC_TRACE_BIN);
    }
    return same(name, CONTENT_TYPE)
        || same(name, TE)
        || same(name, "connection")
        || same(name, "transfer-encoding")
        || same(name, "host")
        || same(name, "keep-alive")
        || same(name, "upgrade")
        || same(name, "proxy-connection");
  }

  private static boolean startsWith(CharSequence s, String prefix) {
    if (s.length() < prefix.length()) {
      return false;
    }
    for (int i = 0; i < prefix.length(); i++) {
      if (s.charAt(i) != prefix.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static boolean same(CharSequence s, String other) {
    return s.length() == other.length() && startsWith(s, other);
  }
}
