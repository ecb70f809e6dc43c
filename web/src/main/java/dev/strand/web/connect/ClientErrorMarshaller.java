package dev.strand.web.connect;

import dev.strand.Marshaller;
import dev.strand.Status;
import dev.strand.StatusException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * A method's binary request marshaller for Connect calls: a request that does not parse is the
 * client's mistake, {@code invalid_argument}, as connect-go answers it, where gRPC's engine says
 * INTERNAL. A failure that already carries a status (the size limit's) keeps it.
 */
final class ClientErrorMarshaller<T> implements Marshaller<T> {
  private final Marshaller<T> binary;

  ClientErrorMarshaller(Marshaller<T> binary) {
    this.binary = binary;
  }

  @Override
  public int sizeOf(T value) {
    return binary.sizeOf(value);
  }

  @Override
  public void write(T value, ByteBuffer target) throws IOException {
    binary.write(value, target);
  }

  @Override
  public T parse(ByteBuffer source) throws IOException {
    try {
      return binary.parse(source);
    } catch (IOException | RuntimeException e) {
      throw invalid(e);
    }
  }

  @Override
  public T parseOwned(byte[] source, int length) throws IOException {
    try {
      return binary.parseOwned(source, length);
    } catch (IOException | RuntimeException e) {
      throw invalid(e);
    }
  }

  @Override
  public T parse(InputStream source) throws IOException {
    try {
      return binary.parse(source);
    } catch (IOException | RuntimeException e) {
      throw invalid(e);
    }
  }

  private static IOException invalid(Exception e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof StatusException) {
        return e instanceof IOException io ? io : new IOException(e.getMessage(), e);
      }
    }
    String description = "cannot parse request: " + e.getMessage();
    return new IOException(
        description,
        Status.INVALID_ARGUMENT.withDescription(description).withCause(e).asException());
  }
}
