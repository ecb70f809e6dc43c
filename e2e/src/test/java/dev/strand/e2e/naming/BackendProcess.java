package dev.strand.e2e.naming;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A {@link WhoServerMain} in a child JVM: a backend a test can kill with SIGKILL. */
final class BackendProcess implements AutoCloseable {
  private final Process process;
  private final int port;

  private BackendProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts it on {@code ip:port} (0: any) and waits (bounded) until it serves. */
  static BackendProcess start(String ip, int port) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process p =
        new ProcessBuilder(
                List.of(
                    java,
                    "-Xmx128m",
                    "-cp",
                    System.getProperty("java.class.path"),
                    WhoServerMain.class.getName(),
                    ip,
                    Integer.toString(port)))
            .redirectErrorStream(true)
            .start();
    CompletableFuture<Integer> listening = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                  if (line.startsWith("listening ")) {
                    listening.complete(Integer.parseInt(line.substring("listening ".length())));
                  }
                }
              } catch (Exception e) {
                listening.completeExceptionally(e);
              }
              listening.completeExceptionally(new IllegalStateException("backend exited"));
            },
            "backend-output");
    reader.setDaemon(true);
    reader.start();
    try {
      return new BackendProcess(p, listening.get(30, TimeUnit.SECONDS));
    } catch (Exception e) {
      p.destroyForcibly();
      throw e;
    }
  }

  int port() {
    return port;
  }

  /** SIGSTOP (true) or SIGCONT (false): the process freezes with its connections open. */
  void freeze(boolean stop) throws Exception {
    Process signal =
        new ProcessBuilder("kill", stop ? "-STOP" : "-CONT", Long.toString(process.pid())).start();
    if (!signal.waitFor(5, TimeUnit.SECONDS) || signal.exitValue() != 0) {
      throw new IllegalStateException("could not signal the backend");
    }
  }

  /** SIGKILL: no GOAWAY, no goodbye; the kernel closes its sockets. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    kill();
  }
}
