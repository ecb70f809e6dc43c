package dev.strand.bench;

import com.google.protobuf.ByteString;
import io.grpc.benchmarks.proto.Messages.Payload;
import io.grpc.benchmarks.proto.Messages.PayloadType;
import io.grpc.benchmarks.proto.Messages.SimpleRequest;
import io.grpc.benchmarks.proto.Messages.SimpleResponse;

/**
 * The messages of grpc.testing.BenchmarkService, made the same way for every server and client
 * here, so only the framework differs. Like grpc-java's {@code Utils.makeResponse} a response
 * carries {@code response_size} zero bytes; unlike it, the last one is reused, because building it
 * is application work, not framework work.
 */
public final class Payloads {
  private static volatile SimpleResponse last = SimpleResponse.getDefaultInstance();

  private Payloads() {}

  /** A request carrying {@code size} bytes that asks for {@code responseSize} bytes back. */
  public static SimpleRequest request(int size, int responseSize) {
    return SimpleRequest.newBuilder()
        .setResponseType(PayloadType.COMPRESSABLE)
        .setResponseSize(responseSize)
        .setPayload(
            Payload.newBuilder()
                .setType(PayloadType.COMPRESSABLE)
                .setBody(ByteString.copyFrom(new byte[size])))
        .build();
  }

  /** The response the benchmark service answers {@code request} with. */
  public static SimpleResponse responseFor(SimpleRequest request) {
    int size = request.getResponseSize();
    if (size <= 0) {
      return SimpleResponse.getDefaultInstance();
    }
    SimpleResponse r = last;
    if (r.getPayload().getBody().size() != size) {
      r =
          SimpleResponse.newBuilder()
              .setPayload(
                  Payload.newBuilder()
                      .setType(PayloadType.COMPRESSABLE)
                      .setBody(ByteString.copyFrom(new byte[size])))
              .build();
      last = r;
    }
    return r;
  }
}
