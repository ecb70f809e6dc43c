package dev.strand.wire;

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
   * Headers that belong to the protocol and never reach the application as metadata.
   * {@code grpc-status-details-bin} is the exception: it carries rich error details for the
   * application to read.
   */
  public static boolean isReserved(CharSequence name) {
    int len = name.length();
    if (len == 0 || name.charAt(0) == ':') {
      return true;
    }
    String n = name.toString();
    if (n.startsWith("grpc-")) {
      return !n.equals(GRPC_STATUS_DETAILS_BIN);
    }
    return n.equals(CONTENT_TYPE) || n.equals(TE) || n.equals("connection")
        || n.equals("transfer-encoding") || n.equals("host") || n.equals("keep-alive")
        || n.equals("upgrade") || n.equals("proxy-connection");
  }
}
