package dev.strand.web.grpcweb;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.FileDescriptor;
import io.grpc.testing.integration.Test;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Runs src/test/node/grpc-web-client.mjs, a connect-es gRPC-Web client, against a server, and
 * returns what it printed: one JSON object per case, by case name. Installs the client's npm
 * packages first (npm ci, from package-lock.json) if they are not there yet.
 */
public final class NodeGrpcWebClient {
  private static final Path DIR = Path.of("src", "test", "node");
  private static final long INSTALL_SECONDS = 300;
  private static final long RUN_SECONDS = 120;

  private NodeGrpcWebClient() {}

  /**
   * {@code trustedCa}: for an https base URL, the CA PEM to trust, with {@code serverName} the name
   * the server's certificate is checked against; both null for plain http.
   */
  static Map<String, JsonObject> run(
      String baseUrl, String httpVersion, Path trustedCa, String serverName, Path scratch)
      throws Exception {
    Path descriptors = writeDescriptors(scratch);
    List<String> command =
        new ArrayList<>(
            List.of("node", "grpc-web-client.mjs", baseUrl, httpVersion, descriptors.toString()));
    if (trustedCa != null) {
      command.add(trustedCa.toAbsolutePath().toString());
      command.add(serverName);
    }
    return results(command, scratch.resolve("connect-" + httpVersion));
  }

  /** The official grpc-web client, text mode, over HTTP/1.1 (grpc-web-text-client.mjs). */
  static Map<String, JsonObject> runOfficialTextClient(String baseUrl, Path scratch)
      throws Exception {
    Path descriptors = writeDescriptors(scratch);
    return results(
        List.of("node", "grpc-web-text-client.mjs", baseUrl, descriptors.toString()),
        scratch.resolve("grpc-web-text"));
  }

  /**
   * Installs the npm packages if needed, and writes grpc.testing's descriptors, which the Node
   * scripts load at run time, into {@code scratch}; returns the file.
   */
  public static Path writeDescriptors(Path scratch) throws Exception {
    installPackages(scratch);
    Path descriptors = scratch.resolve("test-proto.binpb");
    Files.write(descriptors, descriptorSet(Test.getDescriptor()).toByteArray());
    return descriptors;
  }

  /** Runs the command, then reads its JSON lines, by case; {@code output}: where they go. */
  private static Map<String, JsonObject> results(List<String> command, Path output)
      throws Exception {
    Path out = Path.of(output + ".out");
    Path err = Path.of(output + ".err");
    exec(command, out, err, RUN_SECONDS);
    Map<String, JsonObject> results = new LinkedHashMap<>();
    for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        JsonObject result = JsonParser.parseString(line).getAsJsonObject();
        results.put(result.get("case").getAsString(), result);
      }
    }
    return results;
  }

  /** npm ci, unless node_modules is there and newer than the lock file. */
  private static void installPackages(Path scratch) throws Exception {
    Path installed = DIR.resolve("node_modules").resolve(".package-lock.json");
    if (Files.exists(installed)
        && Files.getLastModifiedTime(installed)
                .compareTo(Files.getLastModifiedTime(DIR.resolve("package-lock.json")))
            >= 0) {
      return;
    }
    exec(
        List.of("npm", "ci", "--no-audit", "--no-fund"),
        scratch.resolve("npm-ci.out"),
        scratch.resolve("npm-ci.err"),
        INSTALL_SECONDS);
  }

  private static void exec(List<String> command, Path out, Path err, long seconds)
      throws Exception {
    Process process;
    try {
      process =
          new ProcessBuilder(command)
              .directory(DIR.toFile())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
    } catch (IOException e) {
      throw new AssertionError(
          command.get(0) + " is needed for the gRPC-Web client tests (Node.js 20+)", e);
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

  /** A file and everything it imports, imports first, as protobuf-es's registry reads them. */
  static FileDescriptorSet descriptorSet(FileDescriptor file) {
    Set<FileDescriptor> ordered = new LinkedHashSet<>();
    addWithImports(file, ordered);
    FileDescriptorSet.Builder set = FileDescriptorSet.newBuilder();
    ordered.forEach(f -> set.addFile(f.toProto()));
    return set.build();
  }

  private static void addWithImports(FileDescriptor file, Set<FileDescriptor> ordered) {
    for (FileDescriptor dependency : file.getDependencies()) {
      addWithImports(dependency, ordered);
    }
    ordered.add(file);
  }
}
