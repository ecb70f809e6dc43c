package dev.strand;

/**
 * A call ended with a non-OK {@link Status}. Unchecked, so blocking stubs read like plain method
 * calls; the trailers the peer sent (or the handler wants to send) travel with it.
 */
public class StatusException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final Status status;
  private final Metadata trailers;

  public StatusException(Status status) {
    this(status, null);
  }

  public StatusException(Status status, Metadata trailers) {
    super(status.toString(), status.cause());
    this.status = status;
    this.trailers = trailers == null ? new Metadata() : trailers;
  }

  public Status status() {
    return status;
  }

  public Status.Code code() {
    return status.code();
  }

  public Metadata trailers() {
    return trailers;
  }

  /** The first StatusException in {@code error}'s cause chain (itself included), or null. */
  public static StatusException in(Throwable error) {
    for (Throwable cur = error; cur != null; cur = cur.getCause()) {
      if (cur instanceof StatusException se) {
        return se;
      }
      if (cur.getCause() == cur) {
        break;
      }
    }
    return null;
  }
}
