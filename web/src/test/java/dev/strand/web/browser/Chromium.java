package dev.strand.web.browser;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.strand.web.testing.NodeScripts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs src/test/browser/run.mjs: headless Debian Chromium through playwright-core, one page after
 * another, each running the page's cases against a server; returns what it printed, one JSON object
 * per page and server, by {@link #key}. Installs the npm packages first (npm ci, from
 * package-lock.json, no browser download) if they are not there yet.
 */
final class Chromium {
  static final Path DIR = Path.of("src", "test", "browser");
  static final Path EXECUTABLE = Path.of("/usr/bin/chromium");
  private static final long RUN_SECONDS = 180;

  private Chromium() {}

  /** The key of a page's result against a server. */
  static String key(String pageUrl, String serverUrl) {
    return pageUrl + " -> " + serverUrl;
  }

  /** {@code pagesAndServers}: page URL, the server its cases call, page URL, server... */
  static Map<String, JsonObject> run(
      Path bundle, List<String> transports, List<String> pagesAndServers, Path scratch)
      throws Exception {
    if (!Files.isExecutable(EXECUTABLE)) {
      throw new AssertionError(
          EXECUTABLE + " is needed for the browser tests: apt-get install chromium");
    }
    NodeScripts.installPackages(DIR, scratch);
    List<String> command =
        new ArrayList<>(
            List.of(
                "node",
                "run.mjs",
                bundle.toAbsolutePath().toString(),
                String.join(",", transports)));
    command.addAll(pagesAndServers);
    Path out = scratch.resolve("browser.out");
    NodeScripts.exec(DIR, command, out, scratch.resolve("browser.err"), RUN_SECONDS);
    Map<String, JsonObject> pages = new LinkedHashMap<>();
    for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
      if (line.startsWith("{")) {
        JsonObject page = JsonParser.parseString(line).getAsJsonObject();
        pages.put(key(page.get("page").getAsString(), page.get("server").getAsString()), page);
      }
    }
    return pages;
  }
}
