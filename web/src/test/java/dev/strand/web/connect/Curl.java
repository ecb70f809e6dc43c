package dev.strand.web.connect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs curl (the real one, from the PATH) for one or more requests in a single invocation, so that
 * they share a connection as curl reuses it, and returns each response: status, headers, body, and
 * whether curl had to open a new connection for it.
 */
final class Curl {
  private static final long SECONDS = 60;
  private static final String MARK = "\n@@curl@@";

  /** One response as curl saw it. */
  record Response(int status, Map<String, String> headers, String body, int newConnections) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private Curl() {}

  /**
   * Runs the requests, each a list of curl arguments (URL included), in order on one curl process;
   * {@code http2}: h2c with prior knowledge, else HTTP/1.1.
   */
  @SafeVarargs
  static List<Response> run(Path scratch, boolean http2, List<String>... requests)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "30"));
    for (int i = 0; i < requests.length; i++) {
      if (i > 0) {
        command.add("--next");
      }
      command.add(http2 ? "--http2-prior-knowledge" : "--http1.1");
      command.addAll(List.of("-i", "-w", MARK + "%{num_connects}\n"));
      command.addAll(requests[i]);
    }
    Path out = Files.createTempFile(scratch, "curl", ".out");
    Path err = Files.createTempFile(scratch, "curl", ".err");
    Process process;
    try {
      process =
          new ProcessBuilder(command)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
    } catch (IOException e) {
      throw new AssertionError("curl is needed for the Connect curl tests", e);
    }
    if (!process.waitFor(SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(command + " did not finish in " + SECONDS + " s");
    }
    if (process.exitValue() != 0) {
      throw new AssertionError(
          command + " exited with " + process.exitValue() + ": " + Files.readString(err));
    }
    return parse(Files.readString(out, StandardCharsets.UTF_8));
  }

  private static List<Response> parse(String output) {
    List<Response> responses = new ArrayList<>();
    int start = 0;
    for (int mark = output.indexOf(MARK, start); mark >= 0; mark = output.indexOf(MARK, start)) {
      String response = output.substring(start, mark);
      int lineEnd = output.indexOf('\n', mark + MARK.length());
      int connects = Integer.parseInt(output.substring(mark + MARK.length(), lineEnd).trim());
      responses.add(response(response, connects));
      start = lineEnd + 1;
    }
    return responses;
  }

  private static Response response(String text, int connects) {
    int headEnd = text.indexOf("\r\n\r\n");
    String[] lines = text.substring(0, headEnd).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.merge(
          lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
          lines[i].substring(colon + 1).trim(),
          (a, b) -> a + ", " + b);
    }
    return new Response(status, headers, text.substring(headEnd + 4), connects);
  }
}
