package dev.strand.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child process of the harness: stdout read line by line (and copied to its log), stderr to the
 * log, stdin held open so a server started with --exit_on_stdin_eof dies with the harness. Every
 * process started here is ended by {@link #close()} or, failing that, by the harness's shutdown
 * hook; each is ended by its own pid, never by name.
 */
public final class Proc implements AutoCloseable {
  private static final Set<Proc> LIVE = ConcurrentHashMap.newKeySet();
  private static final String EOF = "\u0000EOF";

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  for (Proc p : LIVE) {
                    p.process.destroyForcibly();
                  }
                },
                "bench-harness-cleanup"));
  }

  private final Process process;
  private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> all = new ArrayList<>();
  final String name;

  private Proc(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
    LIVE.add(this);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                      new BufferedReader(
                          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                  PrintWriter logOut =
                      new PrintWriter(
                          Files.newBufferedWriter(
                              log,
                              StandardCharsets.UTF_8,
                              StandardOpenOption.CREATE,
                              StandardOpenOption.APPEND),
                          true)) {
                String line;
                while ((line = in.readLine()) != null) {
                  logOut.println(line);
                  lines.add(line);
                }
              } catch (IOException e) {
                // the process is gone
              } finally {
                lines.add(EOF);
              }
            },
            "bench-reader-" + name);
    reader.setDaemon(true);
    reader.start();
  }

  public static Proc start(String name, List<String> command, Path log) throws IOException {
    Files.createDirectories(log.getParent());
    Files.writeString(
        log,
        "$ " + String.join(" ", command) + "\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
    return new Proc(name, pb.start(), log);
  }

  public long pid() {
    return process.pid();
  }

  /**
   * The first stdout line starting with {@code prefix}; fails if the process ends or time runs out.
   */
  public String awaitLine(String prefix, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
      if (line == null) {
        throw new IOException(
            name + ": no '" + prefix + "' line within " + timeout.toSeconds() + " s");
      }
      if (line.equals(EOF)) {
        lines.add(EOF);
        throw new IOException(name + " exited before printing '" + prefix + "'");
      }
      all.add(line);
      if (line.startsWith(prefix)) {
        return line;
      }
    }
  }

  /** Where to send a thread dump (jcmd Thread.print) if this JVM has to be killed. */
  private Path jcmd;

  private Path log;

  Proc dumpThreadsOnTimeout(Path jcmd) {
    this.jcmd = jcmd;
    return this;
  }

  /** Waits for the process to end (killing it after {@code timeout}); returns its stdout lines. */
  public List<String> finish(Duration timeout) throws IOException, InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      if (jcmd != null && process.isAlive()) {
        // Why did it hang? Keep the answer next to its log.
        Process dump =
            new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "Thread.print")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        dump.waitFor(30, TimeUnit.SECONDS);
        dump.destroyForcibly();
      }
      close();
      throw new IOException(name + " did not finish within " + timeout.toSeconds() + " s (killed)");
    }
    String line;
    while ((line = lines.poll(5, TimeUnit.SECONDS)) != null && !line.equals(EOF)) {
      all.add(line);
    }
    LIVE.remove(this);
    return all;
  }

  /** Writes one line to the process's stdin. */
  void send(String line) throws IOException {
    OutputStream in = process.getOutputStream();
    in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
  }

  /** The stdout lines up to (not including) the next one equal to {@code marker}. */
  List<String> readUntil(String marker, Duration timeout) throws IOException, InterruptedException {
    List<String> got = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
      if (line == null) {
        throw new IOException(name + ": no '" + marker + "' within " + timeout.toSeconds() + " s");
      }
      if (line.equals(EOF)) {
        lines.add(EOF);
        throw new IOException(name + " exited before '" + marker + "'");
      }
      all.add(line);
      if (line.equals(marker)) {
        return got;
      }
      got.add(line);
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  public int exitCode() {
    return process.exitValue();
  }

  /** Closes stdin: a client holding idle connections lets them go, a server exits. */
  public void closeStdin() {
    try {
      OutputStream in = process.getOutputStream();
      in.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  /** SIGTERM, then SIGKILL if it has not exited within 10 s. */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    LIVE.remove(this);
  }
}
