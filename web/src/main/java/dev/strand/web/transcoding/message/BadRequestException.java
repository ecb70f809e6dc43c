package dev.strand.web.transcoding.message;

/**
 * A request that cannot become its method's message: an HTTP 400 (415 for a body in a format the
 * method does not take), this message in the status.
 */
public final class BadRequestException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int httpStatus;

  public BadRequestException(String message) {
    this(400, message);
  }

  public BadRequestException(int httpStatus, String message) {
    super(message);
    this.httpStatus = httpStatus;
  }

  public int httpStatus() {
    return httpStatus;
  }
}
