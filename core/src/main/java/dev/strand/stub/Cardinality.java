package dev.strand.stub;

import dev.strand.MethodType;
import dev.strand.Status;

/**
 * The status of a call that carried the wrong number of messages for its method type:
 * UNIMPLEMENTED, as statuscodes.md says, since the peer evidently implements another shape.
 */
final class Cardinality {
  private Cardinality() {}

  /** The server's answer to a unary or server-streaming call without exactly one request. */
  static Status requests(MethodType type, int seen) {
    return Status.UNIMPLEMENTED.withDescription(
        "request cardinality violation: a "
            + type
            + " call takes exactly one request, the client sent "
            + (seen == 0 ? "none" : "more"));
  }

  /** The client's verdict on a unary or client-streaming call without exactly one response. */
  static Status responses(int seen) {
    return Status.UNIMPLEMENTED.withDescription(
        "response cardinality violation: the call "
            + "takes exactly one response, the server sent "
            + (seen == 0 ? "none" : "more"));
  }
}
