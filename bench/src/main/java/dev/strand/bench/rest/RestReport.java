package dev.strand.bench.rest;

import dev.strand.bench.Report;
import dev.strand.bench.Results;
import dev.strand.bench.SideBySide;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** results.md: a table per message size, the two performance targets, streaming vs polling. */
final class RestReport {
  /** Strand's transcoded REST against Armeria's transcoding, req/s: the bar. */
  static final double ARMERIA_TARGET = 1.5;

  /** ... and against a plain Javalin + Jackson server for the same JSON. */
  static final double JAVALIN_TARGET = 1.0;

  private RestReport() {}

  static String render(Results r, String mode, String javaVersion) {
    StringBuilder md = new StringBuilder();
    md.append("## REST vs gRPC: one service, one run (")
        .append(mode)
        .append(" run, ")
        .append(
            ZonedDateTime.now(ZoneOffset.UTC)
                .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")))
        .append(")\n\n")
        .append("Java ")
        .append(javaVersion)
        .append(", ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" cores, load average at the end ")
        .append(SideBySide.loadAverage())
        .append(". HTTP/1.1: 64 connections, one request at a time each; HTTP/2: 4 connections x ")
        .append("32 streams. Medians over rounds; bytes per call through a counting relay.\n");
    targets(md, r);
    for (Scenario sc : Scenario.values()) {
      scenario(md, r, sc);
    }
    StreamingReport.render(md, r);
    return md.toString();
  }

  private static void targets(StringBuilder md, Results r) {
    md.append("\n### Targets (transcoded REST over HTTP/1.1, req/s)\n\n");
    md.append("| message | Strand | Armeria | Strand / Armeria (bar ")
        .append(ARMERIA_TARGET)
        .append("x) | Javalin | Strand / Javalin (bar ")
        .append(JAVALIN_TARGET)
        .append("x) |\n|---|---:|---:|---:|---:|---:|\n");
    for (Scenario sc : Scenario.values()) {
      double strand = rate(r, Target.STRAND_REST, sc);
      double armeria = rate(r, Target.ARMERIA_REST, sc);
      double javalin = rate(r, Target.JAVALIN_REST, sc);
      md.append("| ")
          .append(sc.label)
          .append(" | ")
          .append(Report.num(strand))
          .append(" | ")
          .append(Report.num(armeria))
          .append(" | ")
          .append(verdict(strand, armeria, ARMERIA_TARGET))
          .append(" | ")
          .append(Report.num(javalin))
          .append(" | ")
          .append(verdict(strand, javalin, JAVALIN_TARGET))
          .append(" |\n");
    }
  }

  static String verdict(double a, double b, double bar) {
    double ratio = Report.ratioValue(a, b);
    if (Double.isNaN(ratio)) {
      return "–";
    }
    return Report.ratio(a, b) + (ratio >= bar ? " met" : " **not met**");
  }

  private static double rate(Results r, Target t, Scenario sc) {
    return r.median("load", t.label(), sc.label, "rate");
  }

  private static void scenario(StringBuilder md, Results r, Scenario sc) {
    md.append("\n### ")
        .append(sc.label)
        .append(": ")
        .append(sc.rpc)
        .append(" (REST ")
        .append(sc.restPost ? "POST " : "GET ")
        .append(sc.restPath)
        .append(")\n\n");
    md.append(
        "| target | req/s | range | p50 µs | p99 µs | server CPU µs/call | bytes up/call | bytes down/call |\n");
    md.append("|---|---:|---|---:|---:|---:|---:|---:|\n");
    for (Target t : Target.ALL) {
      String label = t.label();
      md.append("| ").append(label);
      md.append(" | ").append(Report.num(r.median("load", label, sc.label, "rate")));
      md.append(" | ").append(r.spread("load", label, sc.label, "rate"));
      for (String metric : List.of("p50_us", "p99_us", "server_cpu_us_per_call")) {
        md.append(" | ").append(Report.num(r.median("load", label, sc.label, metric)));
      }
      for (String metric : List.of("up_per_call", "down_per_call")) {
        md.append(" | ").append(Report.num(r.median("bytes", label, sc.label, metric)));
      }
      md.append(" |\n");
    }
  }
}
