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

/**
 * A real HTTP/2 proxy for a test (Debian's nginx or HAProxy), round-robin over gRPC backends, on a
 * free loopback port, with its own configuration and logs in the test's directory. {@code ./strand
 * test} installs both (packages nginx-light and haproxy).
 */
final class GrpcProxy implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path dir;

  private GrpcProxy(Process process, int port, Path dir) {
    this.process = process;
    this.port = port;
    this.dir = dir;
  }

  /** nginx with {@code grpc_pass} to {@code upstreams} ("ip:port"). */
  static GrpcProxy nginx(Path dir, List<String> upstreams) throws Exception {
    int port = freePort();
    StringBuilder servers = new StringBuilder();
    upstreams.forEach(u -> servers.append("    server ").append(u).append(" max_fails=1;\n"));
    String conf =
        "daemon off;\nuser root;\nworker_processes 1;\n"
            + "pid "
            + dir.resolve("nginx.pid")
            + ";\n"
            + "error_log "
            + dir.resolve("error.log")
            + " info;\n"
            + "events { worker_connections 256; }\n"
            + "http {\n  access_log off;\n"
            + tempPaths(dir)
            + "  upstream backends {\n"
            + servers
            + "    keepalive 8;\n  }\n"
            + "  server {\n    listen 127.0.0.1:"
            + port
            + " http2;\n"
            + "    location / {\n      grpc_pass grpc://backends;\n"
            + "      grpc_next_upstream error timeout;\n    }\n  }\n}\n";
    Path file = write(dir, "nginx.conf", conf);
    return start(
        dir, port, "/usr/sbin/nginx", "nginx-light", "-p", dir.toString(), "-c", file.toString());
  }

  /** HAProxy in HTTP/2 mode on both sides, redispatching to another server when one refuses. */
  static GrpcProxy haproxy(Path dir, List<String> upstreams) throws Exception {
    int port = freePort();
    StringBuilder servers = new StringBuilder();
    for (int i = 0; i < upstreams.size(); i++) {
      servers.append("  server s").append(i).append(' ').append(upstreams.get(i));
      servers.append(" proto h2\n");
    }
    String conf =
        "defaults\n  mode http\n  timeout connect 2s\n  timeout client 30s\n"
            + "  timeout server 30s\n  retries 3\n  option redispatch 1\n"
            + "frontend grpc\n  bind 127.0.0.1:"
            + port
            + " proto h2\n"
            + "  default_backend strand\n"
            + "backend strand\n  balance roundrobin\n"
            + servers;
    Path file = write(dir, "haproxy.cfg", conf);
    return start(dir, port, "/usr/sbin/haproxy", "haproxy", "-db", "-f", file.toString());
  }

  private static String tempPaths(Path dir) {
    StringBuilder out = new StringBuilder();
    for (String kind : List.of("client_body", "proxy", "fastcgi", "uwsgi", "scgi")) {
      out.append("  ").append(kind).append("_temp_path ").append(dir.resolve(kind)).append(";\n");
    }
    return out.toString();
  }

  private static Path write(Path dir, String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
  }

  private static int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      return probe.getLocalPort();
    }
  }

  private static GrpcProxy start(Path dir, int port, String binary, String pkg, String... args)
      throws Exception {
    if (!Files.isExecutable(Path.of(binary))) {
      throw new IllegalStateException(
          binary + " is missing: install Debian's " + pkg + " (./strand test does)");
    }
    List<String> command = new java.util.ArrayList<>(List.of(binary));
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("stdout.log").toFile())
            .start();
    GrpcProxy proxy = new GrpcProxy(p, port, dir);
    proxy.awaitListening();
    return proxy;
  }

  private void awaitListening() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("proxy exited " + process.exitValue() + ": " + logs());
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        Thread.sleep(20);
      }
    }
    throw new IllegalStateException("proxy did not listen: " + logs());
  }

  /** What the proxy wrote, for failure messages. */
  String logs() {
    StringBuilder out = new StringBuilder();
    for (String name : List.of("stdout.log", "error.log")) {
      Path log = dir.resolve(name);
      try {
        if (Files.exists(log)) {
          out.append(name).append(":\n").append(Files.readString(log));
        }
      } catch (IOException e) {
        out.append(name).append(": ").append(e);
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
