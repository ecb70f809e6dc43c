package dev.strand.e2e.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Keeps the guides honest: every ```java block of the pages below is tagged {@code <!-- snippet:
 * NAME -->} and must equal, up to indentation, the region between {@code // snippet:start NAME} and
 * {@code // snippet:end NAME} in this package's *Snippets.java sources, which compile and which the
 * *SnippetsRunTest classes run. Edit the source, then the page.
 */
class DocSnippetsTest {
  static final List<String> PAGES =
      List.of(
          "DEADLINES.md",
          "ERRORS.md",
          "COMPRESSION.md",
          "INTERCEPTORS.md",
          "NAMING.md",
          "OBSERVABILITY.md",
          "SERVICE_CONFIG.md",
          "WEB.md");
  private static final Pattern TAG = Pattern.compile("<!--\\s*snippet:\\s*([\\w-]+)\\s*-->");
  private static final Pattern START = Pattern.compile("//\\s*snippet:start\\s+([\\w-]+)");
  private static final Pattern END = Pattern.compile("//\\s*snippet:end\\s+([\\w-]+)");

  /** One tagged block of a page. */
  record Block(String page, int line, String name, String code) {}

  private static Path moduleDir() {
    String basedir = System.getProperty("basedir");
    return basedir != null ? Path.of(basedir) : Path.of("").toAbsolutePath();
  }

  static Path page(String name) {
    return moduleDir().resolve("../docs").resolve(name).normalize();
  }

  /** Every marked region of the snippet sources, by name. */
  static Map<String, String> regions() throws IOException {
    Map<String, String> regions = new LinkedHashMap<>();
    Path dir = moduleDir().resolve("src/test/java/dev/strand/e2e/docs");
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file :
          files
              .filter(f -> f.getFileName().toString().endsWith("Snippets.java"))
              .sorted()
              .toList()) {
        List<String> lines = Files.readAllLines(file);
        String open = null;
        List<String> body = new ArrayList<>();
        for (String line : lines) {
          Matcher start = START.matcher(line);
          Matcher end = END.matcher(line);
          if (start.find()) {
            open = start.group(1);
            body.clear();
          } else if (end.find() && open != null) {
            assertEquals(open, end.group(1), "snippet:end of another region in " + file);
            assertTrue(regions.put(open, normalise(body)) == null, "region " + open + " twice");
            open = null;
          } else if (open != null) {
            body.add(line);
          }
        }
        assertEquals(null, open, "region " + open + " never ends in " + file);
      }
    }
    return regions;
  }

  /** Every ```java block of a page; each must be tagged. */
  static List<Block> blocks(String page) throws IOException {
    List<String> lines = Files.readAllLines(page(page));
    List<Block> blocks = new ArrayList<>();
    String tag = null;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      Matcher m = TAG.matcher(line);
      if (m.find()) {
        tag = m.group(1);
      } else if (line.strip().equals("```java")) {
        assertNotNull(tag, page + ":" + (i + 1) + " has a java block without <!-- snippet: -->");
        List<String> code = new ArrayList<>();
        int start = i + 1;
        for (i++; i < lines.size() && !lines.get(i).strip().equals("```"); i++) {
          code.add(lines.get(i));
        }
        blocks.add(new Block(page, start, tag, normalise(code)));
        tag = null;
      } else if (!line.isBlank()) {
        tag = null; // a tag belongs to the block right below it
      }
    }
    return blocks;
  }

  /** Trailing spaces, surrounding blank lines and the common indentation do not count. */
  static String normalise(List<String> lines) {
    List<String> body = new ArrayList<>(lines.stream().map(String::stripTrailing).toList());
    while (!body.isEmpty() && body.get(0).isEmpty()) {
      body.remove(0);
    }
    while (!body.isEmpty() && body.get(body.size() - 1).isEmpty()) {
      body.remove(body.size() - 1);
    }
    int indent =
        body.stream()
            .filter(l -> !l.isEmpty())
            .mapToInt(l -> l.length() - l.stripLeading().length())
            .min()
            .orElse(0);
    return String.join(
        "\n", body.stream().map(l -> l.isEmpty() ? l : l.substring(indent)).toList());
  }

  @TestFactory
  Stream<DynamicTest> everyTaggedBlockEqualsItsSource() throws IOException {
    Map<String, String> regions = regions();
    List<DynamicTest> tests = new ArrayList<>();
    for (String page : PAGES) {
      for (Block b : blocks(page)) {
        tests.add(
            DynamicTest.dynamicTest(
                b.page() + ":" + b.line() + " " + b.name(),
                () -> {
                  String source = regions.get(b.name());
                  assertNotNull(source, "no region '" + b.name() + "' in the snippet sources");
                  assertEquals(source, b.code(), b.page() + " has drifted from its source");
                }));
      }
    }
    return tests.stream();
  }

  @Test
  void everyPageShowsSnippetsAndEveryRegionIsShown() throws IOException {
    Set<String> shown = new HashSet<>();
    for (String page : PAGES) {
      List<Block> blocks = blocks(page);
      assertFalse(blocks.isEmpty(), page + " has no snippets");
      blocks.forEach(b -> shown.add(b.name()));
    }
    Set<String> unshown = new HashSet<>(regions().keySet());
    unshown.removeAll(shown);
    assertTrue(unshown.isEmpty(), "regions no page shows: " + unshown);
  }
}
