package dev.strand.web.connect;

import dev.strand.Status;
import java.util.Locale;

/**
 * Connect's names for status codes. The HTTP status of a unary error is code.proto's, as for
 * transcoding: {@code HttpStatusMapping.httpStatusFor}.
 */
final class ConnectCodes {
  private ConnectCodes() {}

  /** The code's name on the wire: gRPC's in lower snake case, with Connect's "canceled". */
  static String name(Status.Code code) {
    return code == Status.Code.CANCELLED ? "canceled" : code.name().toLowerCase(Locale.ROOT);
  }
}
