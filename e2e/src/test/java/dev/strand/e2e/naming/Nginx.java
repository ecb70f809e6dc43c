package dev.strand.e2e.naming;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Debian's nginx as a gRPC proxy for a test: {@code grpc_pass} to an upstream of backends, on a
 * free loopback port, with its own configuration, logs and temp files in the test's directory.
 * {@code ./strand test} installs it (package nginx-light).
 */
final class Nginx implements AutoCloseable {
  private static final Path BINARY = Path.of("/usr/sbin/nginx");
  private final Process process;
  private final int port;
  private final Path dir;

  private Nginx(Process process, int port, Path dir) {
    this.process = process;
    this.port = port;
    this.dir = dir;
  }

  /** Starts nginx proxying gRPC on 127.0.0.1 to {@code upstreams} ("ip:port"), round robin. */
  static Nginx start(Path dir, List<String> upstreams) throws Exception {
    if (!Files.isExecutable(BINARY)) {
      throw new IllegalStateException(
          BINARY + " is missing: install Debian's nginx-light (./strand test does)");
    }
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      port = probe.getLocalPort();
    }
    String servers =
        upstreams.stream()
            .map(u -> "    server " + u + " max_fails=1 fail_timeout=10s;")
            .collect(Collectors.joining("\n"));
    String conf =
        String.join(
            "\n",
            "daemon off;",
            "user root;",
            "worker_processes 1;",
            "pid " + dir.resolve("nginx.pid") + ";",
            "error_log " + dir.resolve("error.log") + " info;",
            "events { worker_connections 256; }",
            "http {",
            "  access_log off;",
            "  client_body_temp_path " + dir.resolve("body") + ";",
            "  proxy_temp_path " + dir.resolve("proxy") + ";",
            "  fastcgi_temp_path " + dir.resolve("fastcgi") + ";",
            "  uwsgi_temp_path " + dir.resolve("uwsgi") + ";",
            "  scgi_temp_path " + dir.resolve("scgi") + ";",
            "  upstream backends {",
            servers,
            "    keepalive 8;",
            "  }",
            "  server {",
            "    listen 127.0.0.1:" + port + " http2;",
            "    location / {",
            "      grpc_pass grpc://backends;",
            "      grpc_next_upstream error timeout;",
            "    }",
            "  }",
            "}",
            "");
    Path confFile = dir.resolve("nginx.conf");
    Files.writeString(confFile, conf, StandardCharsets.UTF_8);
    Process p =
        new ProcessBuilder(BINARY.toString(), "-p", dir.toString(), "-c", confFile.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("stdout.log").toFile())
            .start();
    Nginx nginx = new Nginx(p, port, dir);
    nginx.awaitListening();
    return nginx;
  }

  private void awaitListening() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("nginx exited " + process.exitValue() + ": " + logs());
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        Thread.sleep(20);
      }
    }
    throw new IllegalStateException("nginx did not listen: " + logs());
  }

  /** What nginx wrote, for failure messages. */
  String logs() throws IOException {
    StringBuilder out = new StringBuilder();
    for (String name : List.of("stdout.log", "error.log")) {
      Path log = dir.resolve(name);
      if (Files.exists(log)) {
        out.append(name).append(":\n").append(Files.readString(log));
      }
    }
    return out.toString();
  }

  int port() {
    return port;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }
}
