package dev.strand.bench.rest;

import dev.strand.bench.Report;
import dev.strand.bench.Results;
import java.util.List;

/** The streaming-vs-polling table: the same updates pushed down one stream or polled for. */
final class StreamingReport {
  static final List<String> LABELS =
      List.of(
          "strand/grpc-stream",
          "strand/ndjson-stream-h1",
          "strand/grpc-poll",
          "strand/rest-poll-h1",
          "javalin/rest-poll-h1");

  static final List<String> METRICS =
      List.of("up_per_update", "down_per_update", "us_per_update", "server_cpu_us_per_update");

  private StreamingReport() {}

  static void render(StringBuilder md, Results r) {
    md.append("\n### Streaming vs polling: the same item's updates, one connection\n\n");
    md.append(
        "A stream is one WatchItem call sending every update; a poll is one GetItem per update, "
            + "back to back. Per update: bytes each way (relay), wall time and server CPU.\n\n");
    md.append("| how | bytes up | bytes down | µs | server CPU µs |\n|---|---:|---:|---:|---:|\n");
    for (String label : LABELS) {
      md.append("| ").append(label);
      for (String metric : METRICS) {
        md.append(" | ").append(Report.num(r.median("stream", label, "updates", metric)));
      }
      md.append(" |\n");
    }
  }
}
