package dev.strand.internal.config;

/**
 * A service config that is not valid (A21): not JSON, or a known field with a value the specs do
 * not allow. The message names the field by its path from the top ({@code
 * methodConfig[1].retryPolicy.maxAttempts}) and says what is wrong with it.
 */
public final class ServiceConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String field;

  ServiceConfigException(String field, String problem, Throwable cause) {
    super("invalid service config: " + (field.isEmpty() ? problem : field + ": " + problem), cause);
    this.field = field;
  }

  ServiceConfigException(String field, String problem) {
    this(field, problem, null);
  }

  /** The path of the offending field, say {@code methodConfig[0].timeout}; empty for the whole. */
  public String field() {
    return field;
  }
}
