package dev.strand.interop;

import com.google.protobuf.ByteString;
import io.grpc.testing.integration.Messages.Payload;
import io.grpc.testing.integration.Messages.PayloadType;

/** Payloads of zeros, the only kind the interop tests use. */
final class Payloads {
  private Payloads() {}

  static Payload zeros(int size) {
    return Payload.newBuilder()
        .setType(PayloadType.COMPRESSABLE)
        .setBody(ByteString.copyFrom(new byte[size]))
        .build();
  }
}
