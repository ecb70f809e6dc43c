package dev.strand.web.client;

import dev.strand.web.grpcweb.NodeGrpcWebClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * connect-node's own server (src/test/node/connect-test-server.mjs) on 127.0.0.1, serving
 * grpc.testing.TestService over Connect, gRPC-Web and gRPC on HTTP/1.1: a server Strand did not
 * write, for Strand's web-protocol channel to prove itself against.
 */
final class NodeConnectServer implements AutoCloseable {
  private static final Path DIR = Path.of("src", "test", "node");

  private final Process process;
  private final int port;

  NodeConnectServer() throws Exception {
    Path scratch = Files.createTempDirectory("connect-server");
    Path descriptors = NodeGrpcWebClient.writeDescriptors(scratch);
    process =
        new ProcessBuilder(List.of("node", "connect-test-server.mjs", descriptors.toString()))
            .directory(DIR.toFile())
            .redirectError(scratch.resolve("server.err").toFile())
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> readLine(out));
    String listening;
    try {
      listening = line.get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      process.destroyForcibly();
      throw new AssertionError(
          "connect-test-server.mjs did not start: "
              + Files.readString(scratch.resolve("server.err")),
          e);
    }
    if (listening == null || !listening.startsWith("listening ")) {
      process.destroyForcibly();
      throw new AssertionError(
          "connect-test-server.mjs said '"
              + listening
              + "': "
              + Files.readString(scratch.resolve("server.err")));
    }
    port = Integer.parseInt(listening.substring("listening ".length()).trim());
  }

  private static String readLine(BufferedReader out) {
    try {
      return out.readLine();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  String target() {
    return "127.0.0.1:" + port;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
