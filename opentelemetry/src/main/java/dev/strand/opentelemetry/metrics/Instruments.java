package dev.strand.opentelemetry.metrics;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;
import java.util.List;

/**
 * The instruments of A66, with its names, units and bucket boundaries (given as advice, so an SDK
 * uses them unless a view says otherwise: what grpc-java does too).
 */
public final class Instruments {
  public static final AttributeKey<String> METHOD = AttributeKey.stringKey("grpc.method");
  public static final AttributeKey<String> STATUS = AttributeKey.stringKey("grpc.status");
  public static final AttributeKey<String> TARGET = AttributeKey.stringKey("grpc.target");

  /** A66's latency buckets, in seconds. */
  public static final List<Double> LATENCY_BUCKETS =
      List.of(
          0d, 0.00001, 0.00005, 0.0001, 0.0003, 0.0006, 0.0008, 0.001, 0.002, 0.003, 0.004, 0.005,
          0.006, 0.008, 0.01, 0.013, 0.016, 0.02, 0.025, 0.03, 0.04, 0.05, 0.065, 0.08, 0.1, 0.13,
          0.16, 0.2, 0.25, 0.3, 0.4, 0.5, 0.65, 0.8, 1d, 2d, 5d, 10d, 20d, 50d, 100d);

  /** A66's size buckets, in bytes. */
  public static final List<Long> SIZE_BUCKETS =
      List.of(
          0L,
          1024L,
          2048L,
          4096L,
          16384L,
          65536L,
          262144L,
          1048576L,
          4194304L,
          16777216L,
          67108864L,
          268435456L,
          1073741824L,
          4294967296L);

  public final LongCounter clientAttemptStarted;
  public final DoubleHistogram clientAttemptDuration;
  public final LongHistogram clientAttemptSent;
  public final LongHistogram clientAttemptReceived;
  public final DoubleHistogram clientCallDuration;
  public final LongCounter serverCallStarted;
  public final DoubleHistogram serverCallDuration;
  public final LongHistogram serverCallSent;
  public final LongHistogram serverCallReceived;

  public Instruments(Meter meter) {
    clientAttemptStarted =
        meter
            .counterBuilder("grpc.client.attempt.started")
            .setUnit("{attempt}")
            .setDescription("Number of client call attempts started")
            .build();
    clientAttemptDuration =
        latency(
            meter, "grpc.client.attempt.duration", "Time taken to complete a client call attempt");
    clientAttemptSent =
        size(
            meter,
            "grpc.client.attempt.sent_total_compressed_message_size",
            "Compressed message bytes sent per client call attempt");
    clientAttemptReceived =
        size(
            meter,
            "grpc.client.attempt.rcvd_total_compressed_message_size",
            "Compressed message bytes received per call attempt");
    clientCallDuration =
        latency(meter, "grpc.client.call.duration", "Time taken by gRPC to complete an RPC");
    serverCallStarted =
        meter
            .counterBuilder("grpc.server.call.started")
            .setUnit("{call}")
            .setDescription("Number of server calls started")
            .build();
    serverCallDuration =
        latency(
            meter,
            "grpc.server.call.duration",
            "Time taken to complete a call from server transport's perspective");
    serverCallSent =
        size(
            meter,
            "grpc.server.call.sent_total_compressed_message_size",
            "Compressed message bytes sent per server call");
    serverCallReceived =
        size(
            meter,
            "grpc.server.call.rcvd_total_compressed_message_size",
            "Compressed message bytes received per server call");
  }

  private static DoubleHistogram latency(Meter meter, String name, String description) {
    return meter
        .histogramBuilder(name)
        .setUnit("s")
        .setDescription(description)
        .setExplicitBucketBoundariesAdvice(LATENCY_BUCKETS)
        .build();
  }

  private static LongHistogram size(Meter meter, String name, String description) {
    return meter
        .histogramBuilder(name)
        .ofLongs()
        .setUnit("By")
        .setDescription(description)
        .setExplicitBucketBoundariesAdvice(SIZE_BUCKETS)
        .build();
  }

  /** What an attempt or a server call records at its end: its duration and message totals. */
  static void recordEnd(
      DoubleHistogram duration,
      LongHistogram sent,
      LongHistogram received,
      long nanos,
      long sentBytes,
      long receivedBytes,
      io.opentelemetry.api.common.Attributes attributes) {
    duration.record(seconds(nanos), attributes);
    sent.record(sentBytes, attributes);
    received.record(receivedBytes, attributes);
  }

  /** Seconds from nanoseconds, as the latency instruments record them. */
  static double seconds(long nanos) {
    return nanos / 1_000_000_000.0;
  }
}
