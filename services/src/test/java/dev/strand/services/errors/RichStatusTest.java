package dev.strand.services.errors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.rpc.ErrorInfo;
import com.google.rpc.QuotaFailure;
import com.google.rpc.RetryInfo;
import dev.strand.Metadata;
import dev.strand.Status;
import dev.strand.StatusException;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** RichStatus on its own: building, reading back, and what it refuses to trust. */
class RichStatusTest {
  static final RetryInfo RETRY =
      RetryInfo.newBuilder().setRetryDelay(Duration.newBuilder().setSeconds(5)).build();
  static final ErrorInfo INFO = ErrorInfo.newBuilder().setReason("QUOTA").build();

  @Test
  void exceptionCarriesCodeDescriptionAndDetailsTrailer() throws Exception {
    StatusException e =
        RichStatus.exception(Status.RESOURCE_EXHAUSTED.withDescription("slow down"), RETRY, INFO);
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.code());
    assertEquals("slow down", e.status().description());

    com.google.rpc.Status sent =
        com.google.rpc.Status.parseFrom(e.trailers().getBinary(RichStatus.DETAILS_KEY));
    assertEquals(Status.Code.RESOURCE_EXHAUSTED.value(), sent.getCode());
    assertEquals("slow down", sent.getMessage());
    assertEquals(List.of(Any.pack(RETRY), Any.pack(INFO)), sent.getDetailsList());
  }

  @Test
  void readsBackWhatItWrote() {
    com.google.rpc.Status status = RichStatus.of(Status.UNAVAILABLE, RETRY);
    StatusException e = RichStatus.toException(status);
    assertNull(e.status().description(), "no message, no description");
    assertEquals(status, RichStatus.fromThrowable(e).orElseThrow());
    assertEquals(RETRY, RichStatus.detail(status, RetryInfo.class).orElseThrow());
    assertTrue(RichStatus.detail(status, QuotaFailure.class).isEmpty());
  }

  @Test
  void findsTheStatusExceptionAmongCauses() {
    StatusException e = RichStatus.exception(Status.ABORTED, INFO);
    assertEquals(
        INFO,
        RichStatus.fromThrowable(new CompletionException(e))
            .flatMap(s -> RichStatus.detail(s, ErrorInfo.class))
            .orElseThrow());
    assertTrue(RichStatus.fromThrowable(new IllegalStateException()).isEmpty());
  }

  @Test
  void keepsOtherTrailersAndReplacesAStaleDetailsTrailer() {
    Metadata trailers =
        new Metadata()
            .add("x-request-id", "42")
            .addBinary(RichStatus.DETAILS_KEY, new byte[] {1, 2, 3});
    com.google.rpc.Status status = RichStatus.of(Status.NOT_FOUND.withDescription("no"));
    StatusException e = RichStatus.toException(status, trailers);
    assertEquals("42", e.trailers().get("x-request-id"));
    assertEquals(1, e.trailers().getAllBinary(RichStatus.DETAILS_KEY).size());
    assertArrayEquals(status.toByteArray(), e.trailers().getBinary(RichStatus.DETAILS_KEY));
  }

  @Test
  void absentUnparsableOrContradictingDetailsReadAsNone() {
    assertTrue(RichStatus.fromThrowable(Status.INTERNAL.asException()).isEmpty());
    Metadata garbage = new Metadata().addBinary(RichStatus.DETAILS_KEY, new byte[] {(byte) 0xff});
    assertTrue(RichStatus.fromTrailers(Status.INTERNAL, garbage).isEmpty());
    Metadata other =
        new Metadata()
            .addBinary(RichStatus.DETAILS_KEY, RichStatus.of(Status.NOT_FOUND).toByteArray());
    assertTrue(RichStatus.fromTrailers(Status.INTERNAL, other).isEmpty(), "code mismatch");
    assertTrue(RichStatus.fromTrailers(Status.NOT_FOUND, other).isPresent());
  }

  @Test
  void okOrUnknownCodesAreNotErrors() {
    assertThrows(IllegalArgumentException.class, () -> RichStatus.exception(Status.OK));
    assertThrows(
        IllegalArgumentException.class,
        () -> RichStatus.toException(com.google.rpc.Status.newBuilder().setCode(17).build()));
  }
}
