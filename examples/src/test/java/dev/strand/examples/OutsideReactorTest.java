package dev.strand.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's project, outside this build: its pom is the README's snippet, word for word, and its
 * code is in the README's style ({@code var}, the generated client). It is built offline against
 * the local repository (where this build installed Strand) and run.
 */
class OutsideReactorTest {
  static final Path ROOT =
      Paths.get(System.getProperty("strand.root", "..")).toAbsolutePath().normalize();

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void readmeSnippetBuildsAndRunsAFreshProject(@TempDir Path project) throws Exception {
    copySample(project);
    Files.writeString(project.resolve("pom.xml"), pomFromReadme(), StandardCharsets.UTF_8);

    Path classpathFile = project.resolve("classpath.txt");
    String buildLog =
        run(
            project,
            List.of(
                ROOT.resolve("mvnw").toString(),
                "-o",
                "-B",
                "-q",
                "package",
                "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath",
                "-Dmdep.outputFile=" + classpathFile),
            240);
    String classpath =
        project.resolve("target/classes")
            + java.io.File.pathSeparator
            + Files.readString(classpathFile).trim();

    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    String output = run(project, List.of(java, "-cp", classpath, "sample.Main"), 60);
    assertTrue(output.contains("SAMPLE OK HEY! a.b.c."), output + "\nbuild:\n" + buildLog);
  }

  static String pomFromReadme() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
    Matcher m =
        Pattern.compile(
                "<!-- pom-snippet:start -->\\s*```xml\\n(.*?)```\\s*<!-- pom-snippet:end -->",
                Pattern.DOTALL)
            .matcher(readme);
    assertTrue(m.find(), "README.md has no pom snippet between the markers");
    // Around the snippet: coordinates, and the plugin versions this build already fetched, so
    // that an offline build on a clean machine finds every plugin in the local repository.
    // Nothing else: the Java release and encoding must come from the snippet itself.
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <modelVersion>4.0.0</modelVersion>
          <groupId>sample</groupId>
          <artifactId>outside-reactor</artifactId>
          <version>1</version>
        """
        + m.group(1).replaceFirst("<build>", "<build>\n" + pinnedPlugins())
        + "</project>\n";
  }

  static String pinnedPlugins() {
    StringBuilder sb = new StringBuilder("<pluginManagement><plugins>\n");
    for (String plugin : System.getProperty("strand.pinnedPlugins", "").split(",")) {
      if (plugin.isBlank()) {
        continue;
      }
      String[] gav = plugin.trim().split(":");
      sb.append("<plugin><groupId>")
          .append(gav[0])
          .append("</groupId><artifactId>")
          .append(gav[1])
          .append("</artifactId><version>")
          .append(gav[2])
          .append("</version></plugin>\n");
    }
    return sb.append("</plugins></pluginManagement>\n").toString();
  }

  static void copySample(Path project) throws IOException {
    Path sample = Paths.get("src/test/resources/outside-reactor").toAbsolutePath();
    try (Stream<Path> files = Files.walk(sample)) {
      for (Path source : (Iterable<Path>) files::iterator) {
        Path target = project.resolve(sample.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    }
  }

  static String run(Path dir, List<String> command, int timeoutSeconds) throws Exception {
    Process p =
        new ProcessBuilder(new ArrayList<>(command))
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
    if (!done) {
      p.destroyForcibly();
    }
    String text = new String(out, StandardCharsets.UTF_8);
    assertTrue(done, "timed out: " + command + "\n" + text);
    assertEquals(0, p.exitValue(), "failed: " + command + "\n" + text);
    return text;
  }
}
