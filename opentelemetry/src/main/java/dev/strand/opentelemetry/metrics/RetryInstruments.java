package dev.strand.opentelemetry.metrics;

import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;
import java.util.List;

/**
 * A96's per-call retry instruments, with its units and recommended buckets: off unless asked for,
 * as A96 (and grpc-java) have them while experimental.
 */
public final class RetryInstruments {
  public final LongHistogram retries;
  public final LongHistogram transparentRetries;
  public final LongHistogram hedges;
  public final DoubleHistogram retryDelay;

  public RetryInstruments(Meter meter) {
    retries =
        count(
            meter,
            "grpc.client.call.retries",
            "{retry}",
            "Number of retries during the client call",
            List.of(1L, 2L, 3L, 4L, 5L));
    transparentRetries =
        count(
            meter,
            "grpc.client.call.transparent_retries",
            "{transparent_retry}",
            "Number of transparent retries during the client call",
            List.of(1L, 2L, 3L, 4L, 5L, 10L));
    hedges =
        count(
            meter,
            "grpc.client.call.hedges",
            "{hedge}",
            "Number of hedges during the client call",
            List.of(1L, 2L, 3L, 4L, 5L));
    retryDelay =
        meter
            .histogramBuilder("grpc.client.call.retry_delay")
            .setUnit("s")
            .setDescription(
                "Total time of delay while there is no active attempt during the client call")
            .setExplicitBucketBoundariesAdvice(Instruments.LATENCY_BUCKETS)
            .build();
  }

  private static LongHistogram count(
      Meter meter, String name, String unit, String description, List<Long> buckets) {
    return meter
        .histogramBuilder(name)
        .ofLongs()
        .setUnit(unit)
        .setDescription(description)
        .setExplicitBucketBoundariesAdvice(buckets)
        .build();
  }
}
