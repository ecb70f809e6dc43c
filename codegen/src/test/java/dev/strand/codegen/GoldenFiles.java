package dev.strand.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Compares generated files with the reviewed copies under src/test/resources/golden, or, with
 * {@code -Dgolden.update=true}, rewrites those copies (and deletes the ones nothing generates).
 */
final class GoldenFiles {
  private GoldenFiles() {}

  static final Path DIR = Paths.get(System.getProperty("golden.dir", "src/test/resources/golden"));

  static boolean updating() {
    return Boolean.getBoolean("golden.update");
  }

  /**
   * @param generated file contents by path relative to the golden directory
   */
  static void check(Map<String, String> generated) throws IOException {
    if (updating()) {
      update(generated);
      return;
    }
    Set<String> stale = existing();
    stale.removeAll(generated.keySet());
    if (!stale.isEmpty()) {
      fail(
          "golden files that nothing generates any more: "
              + stale
              + "; run the tests with"
              + " -Dgolden.update=true to delete them");
    }
    for (Map.Entry<String, String> file : generated.entrySet()) {
      Path golden = DIR.resolve(file.getKey());
      if (!Files.exists(golden)) {
        fail("no golden file " + golden + "; run the tests with -Dgolden.update=true to write it");
      }
      assertEquals(
          Files.readString(golden, StandardCharsets.UTF_8),
          file.getValue(),
          () ->
              file.getKey()
                  + " differs from its golden file; if the change is intended, run"
                  + " the tests with -Dgolden.update=true and review the diff");
    }
  }

  private static void update(Map<String, String> generated) throws IOException {
    for (String path : existing()) {
      if (!generated.containsKey(path)) {
        Files.delete(DIR.resolve(path));
      }
    }
    for (Map.Entry<String, String> file : generated.entrySet()) {
      Path golden = DIR.resolve(file.getKey());
      Files.createDirectories(golden.getParent());
      Files.writeString(golden, file.getValue(), StandardCharsets.UTF_8);
    }
  }

  private static Set<String> existing() throws IOException {
    Set<String> paths = new TreeSet<>();
    if (!Files.isDirectory(DIR)) {
      return paths;
    }
    try (Stream<Path> files = Files.walk(DIR)) {
      files
          .filter(Files::isRegularFile)
          .forEach(p -> paths.add(DIR.relativize(p).toString().replace('\\', '/')));
    }
    return paths;
  }
}
