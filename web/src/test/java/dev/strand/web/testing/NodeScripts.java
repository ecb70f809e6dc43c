package dev.strand.web.testing;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * What the tests that run Node scripts share: their npm packages installed from the lock file, a
 * script run to its end with its output in files, and the descriptor set the scripts read their
 * messages from (protobuf-es, no generated code).
 */
public final class NodeScripts {
  private static final long INSTALL_SECONDS = 300;

  private NodeScripts() {}

  /** npm ci in {@code dir}, unless node_modules is there and newer than the lock file. */
  public static void installPackages(Path dir, Path scratch) throws Exception {
    Path installed = dir.resolve("node_modules").resolve(".package-lock.json");
    if (Files.exists(installed)
        && Files.getLastModifiedTime(installed)
                .compareTo(Files.getLastModifiedTime(dir.resolve("package-lock.json")))
            >= 0) {
      return;
    }
    exec(
        dir,
        List.of("npm", "ci", "--no-audit", "--no-fund"),
        scratch.resolve(dir.getFileName() + "-npm-ci.out"),
        scratch.resolve(dir.getFileName() + "-npm-ci.err"),
        INSTALL_SECONDS);
  }

  /** Runs {@code command} in {@code dir}; fails unless it exits 0 within {@code seconds}. */
  public static void exec(Path dir, List<String> command, Path out, Path err, long seconds)
      throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    // playwright-core must use the system's Chromium: no install step downloads a browser.
    builder.environment().put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new AssertionError(command.get(0) + " is needed for this test (Node.js 20+)", e);
    }
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(command + " did not finish in " + seconds + " s");
    }
    if (process.exitValue() != 0) {
      throw new AssertionError(
          command
              + " exited with "
              + process.exitValue()
              + ":\n"
              + Files.readString(err, StandardCharsets.UTF_8));
    }
  }

  /**
   * A file and everything it imports, imports first, as protobuf-es's registry reads them; each
   * field with its {@code json_name}, which protoc fills in for plugins but a compiled file's
   * descriptor leaves out (protobuf-es would write JSON with empty field names).
   */
  public static FileDescriptorSet descriptorSet(FileDescriptor... files) {
    Set<FileDescriptor> ordered = new LinkedHashSet<>();
    for (FileDescriptor file : files) {
      addWithImports(file, ordered);
    }
    FileDescriptorSet.Builder set = FileDescriptorSet.newBuilder();
    for (FileDescriptor f : ordered) {
      FileDescriptorProto.Builder proto = f.toProto().toBuilder();
      for (int i = 0; i < f.getMessageTypes().size(); i++) {
        withJsonNames(f.getMessageTypes().get(i), proto.getMessageTypeBuilder(i));
      }
      set.addFile(proto);
    }
    return set.build();
  }

  private static void withJsonNames(Descriptor message, DescriptorProto.Builder proto) {
    for (int i = 0; i < message.getFields().size(); i++) {
      proto.getFieldBuilder(i).setJsonName(message.getFields().get(i).getJsonName());
    }
    for (int i = 0; i < message.getNestedTypes().size(); i++) {
      withJsonNames(message.getNestedTypes().get(i), proto.getNestedTypeBuilder(i));
    }
  }

  private static void addWithImports(FileDescriptor file, Set<FileDescriptor> ordered) {
    if (ordered.contains(file)) {
      return;
    }
    for (FileDescriptor dependency : file.getDependencies()) {
      addWithImports(dependency, ordered);
    }
    ordered.add(file);
  }
}
