package dev.strand;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class StatusTest {
  @Test
  void allSeventeenCodesHaveTheirWireValues() {
    assertEquals(17, Status.Code.values().length);
    for (Status.Code code : Status.Code.values()) {
      assertSame(code, Status.Code.fromValue(code.value()));
    }
    assertEquals(16, Status.Code.UNAUTHENTICATED.value());
  }

  @Test
  void unknownWireValuesBecomeUnknown() {
    assertSame(Status.Code.UNKNOWN, Status.Code.fromValue(17));
    assertSame(Status.Code.UNKNOWN, Status.Code.fromValue(-1));
  }

  @Test
  void fromThrowableFindsAWrappedStatusException() {
    StatusException inner = Status.NOT_FOUND.withDescription("x").asException();
    assertEquals(Status.Code.NOT_FOUND, Status.fromThrowable(new RuntimeException(inner)).code());
    assertEquals(Status.Code.UNKNOWN, Status.fromThrowable(new IllegalStateException()).code());
  }
}
