package dev.strand.protobuf.json;

/**
 * Thrown inside the writer when a message is one it leaves to JsonFormat (wire that is not
 * canonical, a value JsonFormat rejects); caught by {@link ProtoJsonWriter}, never seen outside.
 * One shared instance without a stack trace: it is control flow, not an error.
 */
final class NotFastPath extends RuntimeException {
  private static final long serialVersionUID = 1L;

  @SuppressWarnings("StaticAssignmentOfThrowable") // immutable, stackless, never escapes
  static final NotFastPath INSTANCE = new NotFastPath();

  private NotFastPath() {
    super(null, null, false, false);
  }
}
