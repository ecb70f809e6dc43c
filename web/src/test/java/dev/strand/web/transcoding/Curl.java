package dev.strand.web.transcoding;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the curl on the PATH, as a user would, and splits what it printed. */
final class Curl {
  /** What came back: the HTTP version and status, the headers as curl printed them, the body. */
  record Reply(String version, int status, String headers, String body) {}

  private Curl() {}

  static Reply run(String... args) throws IOException, InterruptedException {
    Path headers = Files.createTempFile("curl-headers", ".txt");
    try {
      List<String> command = new ArrayList<>();
      command.add("curl");
      command.addAll(List.of("-sS", "--globoff", "--max-time", "20", "-D", headers.toString()));
      command.addAll(List.of("-w", "\n%{http_version} %{http_code}"));
      command.addAll(List.of(args));
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] out = process.getInputStream().readAllBytes();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("curl did not finish");
      }
      String text = new String(out, StandardCharsets.UTF_8);
      int cut = text.lastIndexOf('\n');
      String[] tail = text.substring(cut + 1).split(" ");
      return new Reply(
          tail[0],
          Integer.parseInt(tail[1]),
          Files.readString(headers).toLowerCase(java.util.Locale.ROOT),
          text.substring(0, cut));
    } finally {
      Files.deleteIfExists(headers);
    }
  }
}
