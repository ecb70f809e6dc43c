package dev.strand.internal.call;

import dev.strand.Metadata;
import dev.strand.Status;
import dev.strand.StatusException;
import dev.strand.server.ExceptionMapper;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one place a handler's exception becomes what the client sees, for every handler style
 * (blocking, async, a raw listener that threw): the StatusException in its cause chain, else the
 * server's {@link ExceptionMapper}, else UNKNOWN without the details, which only the log gets.
 */
public final class Failures {
  private static final Logger log = Logger.getLogger(Failures.class.getName());

  private Failures() {}

  /** A status and the trailers that go with it (the StatusException's, or none). */
  public record Failure(Status status, Metadata trailers) {}

  public static Failure of(Throwable error, ExceptionMapper mapper, Object where) {
    StatusException explicit = StatusException.in(error);
    if (explicit != null) {
      return new Failure(explicit.status(), explicit.trailers());
    }
    Status mapped = null;
    try {
      mapped = mapper.toStatus(error);
    } catch (RuntimeException mapperFailed) {
      log.log(
          Level.WARNING, "the exception mapper threw; the default status applies", mapperFailed);
    }
    if (mapped != null) {
      log.log(Level.FINE, "handler of " + where + " threw; mapped to " + mapped.code(), error);
      return new Failure(mapped.withCause(error), new Metadata());
    }
    log.log(Level.WARNING, "handler of " + where + " threw; the client sees UNKNOWN", error);
    return new Failure(
        Status.UNKNOWN.withDescription("application error").withCause(error), new Metadata());
  }
}
