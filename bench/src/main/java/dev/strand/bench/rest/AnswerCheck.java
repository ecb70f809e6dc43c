package dev.strand.bench.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strand.bench.Proc;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One call per target with curl before anything is measured: HTTP 200, {@code grpc-status: 0} for
 * gRPC, a body, and for JSON the same document every server sends. A path that answers errors fast
 * must fail the run, not win it.
 */
final class AnswerCheck {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AnswerCheck() {}

  /** The response body; throws if the call did not succeed. */
  static byte[] check(Call call, int port, Path dir, Path log, String what)
      throws IOException, InterruptedException {
    Path headers = dir.resolve("check-headers.txt");
    Path body = dir.resolve("check-body.bin");
    List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20"));
    cmd.add(call.http1() ? "--http1.1" : "--http2-prior-knowledge");
    cmd.addAll(List.of("-D", headers.toString(), "-o", body.toString(), "-w", "%{http_code}"));
    if (call.body() != null) {
      cmd.addAll(List.of("--data-binary", "@" + call.body()));
    }
    for (String h : call.headers()) {
      cmd.addAll(List.of("-H", h));
    }
    cmd.add("http://127.0.0.1:" + port + call.path());
    List<String> out;
    try (Proc p = Proc.start("curl", cmd, log)) {
      out = p.finish(Duration.ofSeconds(30));
    }
    String status = out.isEmpty() ? "" : out.get(out.size() - 1).trim();
    String head = Files.readString(headers, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
    byte[] bytes = Files.readAllBytes(body);
    if (!status.equals("200")) {
      throw new IOException(
          what + ": HTTP " + status + ": " + new String(bytes, StandardCharsets.UTF_8));
    }
    if (call.grpc() && !head.contains("grpc-status: 0")) {
      throw new IOException(what + ": no grpc-status 0 in " + head);
    }
    if (bytes.length == 0) {
      throw new IOException(what + ": empty body");
    }
    return bytes;
  }

  /** Fails unless both bodies are the same JSON document (field order aside). */
  static void sameJson(byte[] expected, byte[] actual, String what) throws IOException {
    JsonNode a = JSON.readTree(expected);
    JsonNode b = JSON.readTree(actual);
    if (!a.equals(b)) {
      throw new IOException(
          what
              + " sends other JSON than Strand: "
              + new String(actual, StandardCharsets.UTF_8)
              + " vs "
              + new String(expected, StandardCharsets.UTF_8));
    }
  }
}
