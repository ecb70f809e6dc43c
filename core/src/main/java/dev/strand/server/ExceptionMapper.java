package dev.strand.server;

import dev.strand.Status;

/**
 * Turns an exception thrown by handler code into the status the client sees. A {@link
 * dev.strand.StatusException} anywhere in the cause chain always wins (it is the handler saying
 * what to send); the mapper decides for every other exception. Return null to leave the exception
 * to the default: {@code UNKNOWN} with a generic description, the exception logged on the server
 * and never sent. Set one with {@link ServerBuilder#exceptionMapper}.
 *
 * <pre>{@code
 * Server.builder().exceptionMapper(e -> e instanceof NoSuchElementException
 *     ? Status.NOT_FOUND.withDescription(e.getMessage()) : null)
 * }</pre>
 *
 * <p>It runs on the thread that saw the exception (a handler's, or an event loop for async
 * handlers), so it must be quick and must not block. If it throws, the default applies.
 */
@FunctionalInterface
public interface ExceptionMapper {
  /** Maps every exception to the default. */
  ExceptionMapper DEFAULT = error -> null;

  /** The status for {@code error}, or null for the default. */
  Status toStatus(Throwable error);
}
