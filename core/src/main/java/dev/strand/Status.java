package dev.strand;

import java.util.Objects;

/**
 * The outcome of a call: one of the 17 gRPC codes, a human-readable description and an optional
 * local cause. The cause never travels over the wire; the code and description do.
 */
public final class Status {

  /** The gRPC status codes, with their wire values, per statuscodes.md. */
  public enum Code {
    OK(0),
    CANCELLED(1),
    UNKNOWN(2),
    INVALID_ARGUMENT(3),
    DEADLINE_EXCEEDED(4),
    NOT_FOUND(5),
    ALREADY_EXISTS(6),
    PERMISSION_DENIED(7),
    RESOURCE_EXHAUSTED(8),
    FAILED_PRECONDITION(9),
    ABORTED(10),
    OUT_OF_RANGE(11),
    UNIMPLEMENTED(12),
    INTERNAL(13),
    UNAVAILABLE(14),
    DATA_LOSS(15),
    UNAUTHENTICATED(16);

    private static final Code[] BY_VALUE = values();
    private final int value;

    Code(int value) {
      this.value = value;
    }

    public int value() {
      return value;
    }

    public Status toStatus() {
      return Status.CACHED[value];
    }

    /** The code for a wire value; values outside 0..16 become UNKNOWN, as the spec asks. */
    public static Code fromValue(int value) {
      return value >= 0 && value < BY_VALUE.length ? BY_VALUE[value] : UNKNOWN;
    }
  }

  // Built here, not in Code, so that neither class's initialization needs the other's first.
  private static final Status[] CACHED = cache();

  public static final Status OK = Code.OK.toStatus();
  public static final Status CANCELLED = Code.CANCELLED.toStatus();
  public static final Status UNKNOWN = Code.UNKNOWN.toStatus();
  public static final Status INVALID_ARGUMENT = Code.INVALID_ARGUMENT.toStatus();
  public static final Status DEADLINE_EXCEEDED = Code.DEADLINE_EXCEEDED.toStatus();
  public static final Status NOT_FOUND = Code.NOT_FOUND.toStatus();
  public static final Status ALREADY_EXISTS = Code.ALREADY_EXISTS.toStatus();
  public static final Status PERMISSION_DENIED = Code.PERMISSION_DENIED.toStatus();
  public static final Status RESOURCE_EXHAUSTED = Code.RESOURCE_EXHAUSTED.toStatus();
  public static final Status FAILED_PRECONDITION = Code.FAILED_PRECONDITION.toStatus();
  public static final Status ABORTED = Code.ABORTED.toStatus();
  public static final Status OUT_OF_RANGE = Code.OUT_OF_RANGE.toStatus();
  public static final Status UNIMPLEMENTED = Code.UNIMPLEMENTED.toStatus();
  public static final Status INTERNAL = Code.INTERNAL.toStatus();
  public static final Status UNAVAILABLE = Code.UNAVAILABLE.toStatus();
  public static final Status DATA_LOSS = Code.DATA_LOSS.toStatus();
  public static final Status UNAUTHENTICATED = Code.UNAUTHENTICATED.toStatus();

  private static Status[] cache() {
    Code[] codes = Code.values();
    Status[] statuses = new Status[codes.length];
    for (Code c : codes) {
      statuses[c.value()] = new Status(c, null, null);
    }
    return statuses;
  }

  private final Code code;
  private final String description;
  private final Throwable cause;

  private Status(Code code, String description, Throwable cause) {
    this.code = Objects.requireNonNull(code, "code");
    this.description = description;
    this.cause = cause;
  }

  public static Status of(Code code) {
    return code.toStatus();
  }

  public static Status fromCodeValue(int value) {
    return Code.fromValue(value).toStatus();
  }

  public Code code() {
    return code;
  }

  /** The description sent as {@code grpc-message}, or null. */
  public String description() {
    return description;
  }

  /** A local cause for debugging; it is never sent to the peer. */
  public Throwable cause() {
    return cause;
  }

  public boolean isOk() {
    return code == Code.OK;
  }

  public Status withDescription(String description) {
    return Objects.equals(this.description, description)
        ? this
        : new Status(code, description, cause);
  }

  /** Appends to the existing description, separated by a newline, as grpc-java does. */
  public Status augmentDescription(String more) {
    if (more == null) {
      return this;
    }
    return withDescription(description == null ? more : description + "\n" + more);
  }

  public Status withCause(Throwable cause) {
    return this.cause == cause ? this : new Status(code, description, cause);
  }

  public StatusException asException() {
    return new StatusException(this, null);
  }

  public StatusException asException(Metadata trailers) {
    return new StatusException(this, trailers);
  }

  /**
   * The status that best describes a throwable: the status it carries if it is a {@link
   * StatusException} (or wraps one), UNKNOWN otherwise, with the throwable as cause.
   */
  public static Status fromThrowable(Throwable t) {
    StatusException se = StatusException.in(t);
    return se != null ? se.status() : UNKNOWN.withCause(t);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Status s
        && s.code == code
        && Objects.equals(s.description, description)
        && s.cause == cause;
  }

  @Override
  public int hashCode() {
    return Objects.hash(code, description);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(code.name());
    if (description != null) {
      sb.append(": ").append(description);
    }
    if (cause != null) {
      sb.append(" (cause: ").append(cause).append(')');
    }
    return sb.toString();
  }
}
