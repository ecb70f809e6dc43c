package dev.strand.web.transcoding;

import dev.strand.Status;

/**
 * The HTTP status for a gRPC status, as google/rpc/code.proto's comments give it (and as
 * grpc-gateway and Envoy's transcoder answer): NOT_FOUND is 404, INVALID_ARGUMENT 400, ...
 */
final class HttpStatusMapping {
  private HttpStatusMapping() {}

  static int of(Status.Code code) {
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
