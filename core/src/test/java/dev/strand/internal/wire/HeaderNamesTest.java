package dev.strand.internal.wire;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HeaderNamesTest {
  @Test
  void grpcContentTypes() {
    assertTrue(HeaderNames.isGrpcContentType("application/grpc"));
    assertTrue(HeaderNames.isGrpcContentType("application/grpc+proto"));
    assertTrue(HeaderNames.isGrpcContentType("Application/GRPC+json"));
    assertFalse(HeaderNames.isGrpcContentType("application/grpcx"));
    assertFalse(HeaderNames.isGrpcContentType("application/json"));
    assertFalse(HeaderNames.isGrpcContentType(null));
  }

  @Test
  void reservedHeadersNeverReachTheApplication() {
    for (String name :
        new String[] {
          ":path",
          "grpc-status",
          "grpc-timeout",
          "te",
          "content-type",
          "grpc-encoding",
          "connection"
        }) {
      assertTrue(HeaderNames.isReserved(name), name);
    }
    assertFalse(HeaderNames.isReserved("grpc-status-details-bin"));
    assertFalse(HeaderNames.isReserved("grpc-previous-rpc-attempts"), "A6: for the application");
    assertFalse(HeaderNames.isReserved("grpc-retry-pushback-ms"), "A6: from the application");
    assertFalse(HeaderNames.isReserved("grpc-trace-bin"), "A72: a tracer's trace context");
    assertFalse(HeaderNames.isReserved("user-agent"));
    assertFalse(HeaderNames.isReserved("x-custom"));
  }
}
