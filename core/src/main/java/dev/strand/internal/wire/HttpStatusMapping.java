package dev.strand.internal.wire;

import dev.strand.Status;

/** Synthesizes a gRPC status for a response that is not gRPC, per http-grpc-status-mapping.md. */
public final class HttpStatusMapping {
  private HttpStatusMapping() {}

  public static Status.Code codeForHttpStatus(int httpStatus) {
    return switch (httpStatus) {
      case 400, 431 -> Status.Code.INTERNAL;
      case 401 -> Status.Code.UNAUTHENTICATED;
      case 403 -> Status.Code.PERMISSION_DENIED;
      case 404 -> Status.Code.UNIMPLEMENTED;
      case 429, 502, 503, 504 -> Status.Code.UNAVAILABLE;
      default -> Status.Code.UNKNOWN;
    };
  }

  /** The status for a non-200 HTTP response with no grpc-status. */
  public static Status forHttpStatus(int httpStatus) {
    return codeForHttpStatus(httpStatus)
        .toStatus()
        .withDescription("HTTP status code " + httpStatus + " (not a gRPC response)");
  }
}
