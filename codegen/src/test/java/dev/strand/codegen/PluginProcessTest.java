package dev.strand.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.google.protobuf.Empty;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Runs the generator the way a build does: as a separate JVM that protoc starts as a plugin,
 * talking over stdin and stdout. Its output must equal the in-process generator's.
 */
class PluginProcessTest {

  @Test
  void protocRunsTheGeneratorAsAPlugin() throws Exception {
    assumeFalse(File.separatorChar == '\\', "the launcher is a shell script");
    Protoc.Result protoc = Protoc.run();
    Path out = Protoc.recreate(Protoc.WORK_DIR.resolve("plugin-out"));
    Path launcher = launcher();

    List<String> command =
        new ArrayList<>(
            List.of(
                Protoc.executable().toString(),
                "--plugin=protoc-gen-strand=" + launcher,
                "--strand_out=" + out,
                "-I" + Protoc.PROTO_DIR,
                "-I" + Protoc.WORK_DIR.resolve("include")));
    command.addAll(protoc.protoFiles());
    Protoc.exec(command, null);

    Map<String, String> expected = GoldenTest.contents(StrandGenerator.generate(protoc.request()));
    assertEquals(expected, read(out));
  }

  /** A script protoc can execute that starts the generator on this JVM. */
  private static Path launcher() throws Exception {
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    String classpath =
        codeSource(StrandGenerator.class) + File.pathSeparator + codeSource(Empty.class);
    Path script = Protoc.WORK_DIR.resolve("protoc-gen-strand.sh");
    Files.writeString(
        script,
        "#!/bin/sh\nexec '"
            + java
            + "' -cp '"
            + classpath
            + "' "
            + StrandGenerator.class.getName()
            + "\n",
        StandardCharsets.UTF_8);
    if (!script.toFile().setExecutable(true)) {
      throw new IllegalStateException("cannot make " + script + " executable");
    }
    return script;
  }

  private static String codeSource(Class<?> type) throws URISyntaxException {
    return Paths.get(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }

  private static Map<String, String> read(Path dir) throws Exception {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.filter(Files::isRegularFile).toList()) {
        files.put(
            dir.relativize(path).toString().replace('\\', '/'),
            Files.readString(path, StandardCharsets.UTF_8));
      }
    }
    return files;
  }
}
