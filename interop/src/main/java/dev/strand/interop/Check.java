package dev.strand.interop;

import dev.strand.Status;
import dev.strand.StatusException;
import io.grpc.testing.integration.Messages.Payload;
import java.util.Objects;

/** The assertions of the client's test cases: each failure says what was expected and seen. */
final class Check {
  private Check() {}

  /** A step of a test case that may fail with a StatusException. */
  @FunctionalInterface
  interface Step {
    void run() throws Exception;
  }

  static void isTrue(boolean condition, String message) {
    if (!condition) {
      throw new AssertionError(message);
    }
  }

  static void equal(Object expected, Object actual, String what) {
    if (!Objects.equals(expected, actual)) {
      throw new AssertionError(what + ": expected <" + expected + "> but was <" + actual + ">");
    }
  }

  /** The payload holds exactly {@code size} zero bytes. */
  static void zeros(Payload payload, int size, String what) {
    int actual = payload.getBody().size();
    if (actual != size) {
      throw new AssertionError(what + ": expected a body of " + size + " bytes but got " + actual);
    }
    for (int i = 0; i < actual; i++) {
      if (payload.getBody().byteAt(i) != 0) {
        throw new AssertionError(what + ": byte " + i + " of the body is not zero");
      }
    }
  }

  /** The step fails with a StatusException of this code; returns it. */
  static StatusException fails(Status.Code code, String what, Step step) throws Exception {
    try {
      step.run();
    } catch (StatusException e) {
      status(code, e, what);
      return e;
    }
    throw new AssertionError(what + ": expected status " + code + " but the call succeeded");
  }

  static void status(Status.Code code, Throwable t, String what) {
    if (!(t instanceof StatusException e)) {
      throw new AssertionError(what + ": expected status " + code + " but got " + t, t);
    }
    if (e.code() != code) {
      throw new AssertionError(what + ": expected status " + code + " but got " + e.status(), e);
    }
  }
}
