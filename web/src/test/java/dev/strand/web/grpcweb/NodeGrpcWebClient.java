package dev.strand.web.grpcweb;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.Descriptors.FileDescriptor;
import dev.strand.web.testing.NodeScripts;
import io.grpc.testing.integration.Test;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs src/test/node/grpc-web-client.mjs, a connect-es gRPC-Web client, against a server, and
 * returns what it printed: one JSON object per case, by case name. Installs the client's npm
 * packages first (npm ci, from package-lock.json) if they are not there yet.
 */
public final class NodeGrpcWebClient {
  private static final Path DIR = Path.of("src", "test", "node");
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
    return writeDescriptors(scratch, Test.getDescriptor());
  }

  /**
   * Runs another client script of this folder: {@code node script args...}, with a descriptor set
   * of {@code files} (and their imports) as its last argument; its JSON lines, by case.
   */
  public static Map<String, JsonObject> runScript(
      String script, List<String> args, List<FileDescriptor> files, Path scratch, String name)
      throws Exception {
    Path descriptors = writeDescriptors(scratch, files.toArray(new FileDescriptor[0]));
    List<String> command = new ArrayList<>(List.of("node", script));
    command.addAll(args);
    command.add(descriptors.toString());
    return results(command, scratch.resolve(name));
  }

  private static Path writeDescriptors(Path scratch, FileDescriptor... files) throws Exception {
    NodeScripts.installPackages(DIR, scratch);
    Path descriptors = Files.createTempFile(scratch, "descriptors", ".binpb");
    Files.write(descriptors, NodeScripts.descriptorSet(files).toByteArray());
    return descriptors;
  }

  /** Runs the command, then reads its JSON lines, by case; {@code output}: where they go. */
  private static Map<String, JsonObject> results(List<String> command, Path output)
      throws Exception {
    Path out = Path.of(output + ".out");
    Path err = Path.of(output + ".err");
    NodeScripts.exec(DIR, command, out, err, RUN_SECONDS);
    Map<String, JsonObject> results = new LinkedHashMap<>();
    for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        JsonObject result = JsonParser.parseString(line).getAsJsonObject();
        results.put(result.get("case").getAsString(), result);
      }
    }
    return results;
  }
}
