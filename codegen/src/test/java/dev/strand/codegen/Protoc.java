package dev.strand.codegen;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Empty;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Runs the real protoc (copied out of Maven Central by the build) over the test protos, once per
 * test JVM: it yields the descriptor set the generator is fed and the message classes the generated
 * code is compiled against.
 */
final class Protoc {
  private Protoc() {}

  static final Path PROTO_DIR = Paths.get(System.getProperty("test.proto.dir", "src/test/proto"));
  static final Path WORK_DIR =
      Paths.get(System.getProperty("codegen.work.dir", "target/codegen-test"));

  private static Result result;

  /** What protoc produced from the test protos. */
  record Result(FileDescriptorSet descriptors, Path javaMessages, List<String> protoFiles) {

    /** The request protoc would send a plugin asked to generate every test proto. */
    CodeGeneratorRequest request() {
      return CodeGeneratorRequest.newBuilder()
          .addAllFileToGenerate(protoFiles)
          .addAllProtoFile(descriptors.getFileList())
          .build();
    }

    FileDescriptorProto file(String name) {
      return descriptors.getFileList().stream()
          .filter(f -> f.getName().equals(name))
          .findFirst()
          .orElseThrow();
    }
  }

  static synchronized Result run() throws IOException, InterruptedException {
    if (result == null) {
      result = compile();
    }
    return result;
  }

  private static Result compile() throws IOException, InterruptedException {
    Path include = extractWellKnownProtos(WORK_DIR.resolve("include"));
    Path javaOut = recreate(WORK_DIR.resolve("protoc-java"));
    Path descriptorOut = WORK_DIR.resolve("descriptors.pb");
    List<String> protoFiles = protoFiles();

    List<String> command =
        new ArrayList<>(
            List.of(
                executable().toString(),
                "-I" + PROTO_DIR,
                "-I" + include,
                "--java_out=" + javaOut,
                "--descriptor_set_out=" + descriptorOut,
                "--include_imports",
                "--include_source_info"));
    command.addAll(protoFiles);
    exec(command, null);

    FileDescriptorSet set =
        FileDescriptorSet.parseFrom(
            Files.readAllBytes(descriptorOut), StrandGenerator.extensionRegistry());
    return new Result(set, javaOut, protoFiles);
  }

  /** Runs a command, failing with its output if it fails; returns its stdout. */
  static byte[] exec(List<String> command, Path stdin) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command);
    if (stdin != null) {
      builder.redirectInput(stdin.toFile());
    }
    Path stderr = Files.createTempFile(WORK_DIR, "stderr", ".txt");
    builder.redirectError(stderr.toFile());
    Process process = builder.start();
    byte[] stdout = process.getInputStream().readAllBytes();
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new IOException("timed out: " + command);
    }
    String errors = Files.readString(stderr, StandardCharsets.UTF_8);
    Files.delete(stderr);
    if (process.exitValue() != 0) {
      throw new IOException("exit " + process.exitValue() + " from " + command + "\n" + errors);
    }
    return stdout;
  }

  /** The protoc binary, made executable: the dependency plugin copies it without that bit. */
  static Path executable() {
    Path protoc = Paths.get(System.getProperty("protoc.path", "target/protoc/protoc.exe"));
    if (!Files.isRegularFile(protoc)) {
      throw new IllegalStateException(
          protoc
              + " is missing; run the tests through Maven, "
              + "which copies protoc there in generate-test-resources");
    }
    if (!protoc.toFile().canExecute() && !protoc.toFile().setExecutable(true)) {
      throw new IllegalStateException("cannot make " + protoc + " executable");
    }
    return protoc;
  }

  /** Every .proto under the test proto directory, as protoc names them. */
  static List<String> protoFiles() throws IOException {
    try (Stream<Path> files = Files.walk(PROTO_DIR)) {
      return files
          .filter(p -> p.toString().endsWith(".proto"))
          .map(p -> PROTO_DIR.relativize(p).toString().replace('\\', '/'))
          .sorted()
          .toList();
    }
  }

  /**
   * The protoc artifact on Maven Central is a bare binary without the well-known .proto files;
   * protobuf-java ships them, so they come from its jar.
   */
  private static Path extractWellKnownProtos(Path dir) throws IOException {
    Path jar;
    try {
      jar = Paths.get(Empty.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    recreate(dir);
    try (InputStream in = Files.newInputStream(jar);
        ZipInputStream zip = new ZipInputStream(in)) {
      for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
        if (entry.getName().startsWith("google/") && entry.getName().endsWith(".proto")) {
          Path target = dir.resolve(entry.getName());
          Files.createDirectories(target.getParent());
          Files.copy(zip, target);
        }
      }
    }
    return dir;
  }

  static Path recreate(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> paths = Files.walk(dir)) {
        paths
            .sorted((a, b) -> b.compareTo(a))
            .forEach(
                p -> {
                  try {
                    Files.delete(p);
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                });
      }
    }
    return Files.createDirectories(dir);
  }
}
