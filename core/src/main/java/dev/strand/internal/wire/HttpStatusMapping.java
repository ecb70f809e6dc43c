package dev.strand.internal.wire;

import dev.strand.Status;

/**
 * gRPC statuses and HTTP statuses, both ways: a gRPC status for a response that is not gRPC
 * (http-grpc-status-mapping.md), and the HTTP status for a gRPC one (google/rpc/code.proto's
 * comments, which Connect's unary errors and HTTP/JSON transcoding both follow).
 */
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

  /** The HTTP status code.proto gives a status code: NOT_FOUND is 404, INVALID_ARGUMENT 400, ... */
  public static int httpStatusFor(Status.Code code) {
    return switch (code) {
      case OK -> 200;
      case CANCELLED -> 499;
      case UNKNOWN, INTERNAL, DATA_LOSS -> 500;
      case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> 400;
      case DEADLINE_EXCEEDED -> 504;
      case NOT_FOUND -> 404;
      case ALREADY_EXISTS, ABORTED -> 409;
      case PERMISSION_DENIED -> 403;
      case UNAUTHENTICATED -> 401;
      case RESOURCE_EXHAUSTED -> 429;
      case UNIMPLEMENTED -> 501;
      case UNAVAILABLE -> 503;
    };
  }
}
