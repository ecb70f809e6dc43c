package dev.strand.internal.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GrpcTimeoutTest {
  @Test
  void picksTheFinestUnitThatFitsInEightDigits() {
    assertEquals("1n", GrpcTimeout.encode(1));
    assertEquals("99999999n", GrpcTimeout.encode(99_999_999));
    assertEquals("100000u", GrpcTimeout.encode(100_000_000));
    assertEquals("1000000u", GrpcTimeout.encode(TimeUnit.SECONDS.toNanos(1)));
    assertEquals("3600000m", GrpcTimeout.encode(TimeUnit.HOURS.toNanos(1)));
    assertEquals("8640000S", GrpcTimeout.encode(TimeUnit.DAYS.toNanos(100)));
  }

  @Test
  void neverRoundsDown() {
    long nanos = 123_456_789_123L;
    assertTrue(GrpcTimeout.decode(GrpcTimeout.encode(nanos)) >= nanos);
  }

  @Test
  void expiredTimeoutsAreSentAsTheSmallestValue() {
    assertEquals("1n", GrpcTimeout.encode(0));
    assertEquals("1n", GrpcTimeout.encode(-5));
  }

  @Test
  void decodesEveryUnit() {
    assertEquals(TimeUnit.HOURS.toNanos(2), GrpcTimeout.decode("2H"));
    assertEquals(TimeUnit.MINUTES.toNanos(3), GrpcTimeout.decode("3M"));
    assertEquals(TimeUnit.SECONDS.toNanos(4), GrpcTimeout.decode("4S"));
    assertEquals(TimeUnit.MILLISECONDS.toNanos(5), GrpcTimeout.decode("5m"));
    assertEquals(TimeUnit.MICROSECONDS.toNanos(6), GrpcTimeout.decode("6u"));
    assertEquals(7, GrpcTimeout.decode("7n"));
  }

  @Test
  void hugeValuesSaturate() {
    assertEquals(Long.MAX_VALUE, GrpcTimeout.decode("99999999H"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "S", "1", "123456789S", "12x", "-1S", "1.5S", "1s"})
  void rejectsMalformedValues(String value) {
    assertThrows(IllegalArgumentException.class, () -> GrpcTimeout.decode(value));
  }
}
