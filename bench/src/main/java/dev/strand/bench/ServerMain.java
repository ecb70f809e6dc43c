package dev.strand.bench;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;

/**
 * What every benchmark server's main does once its server is up: stop it on SIGTERM, exit after
 * {@code --max_seconds} whatever happens (a harness that died must not leave it running), exit when
 * stdin closes if {@code --exit_on_stdin_eof}, and print the {@code READY ... port=.. pid=..} line
 * the harness waits for.
 */
public final class ServerMain {
  private ServerMain() {}

  /** Never returns: serves until the process is told to stop. */
  public static void serveUntilStopped(
      Args args, AutoCloseable server, int boundPort, String description)
      throws InterruptedException {
    long maxSeconds = args.getLong("max_seconds", 3600);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    server.close();
                  } catch (Exception e) {
                    System.err.println("close failed: " + e);
                  }
                },
                "bench-server-stop"));
    daemon(
        "bench-server-watchdog",
        () -> {
          try {
            Thread.sleep(TimeUnit.SECONDS.toMillis(maxSeconds));
            System.err.println("bench server: --max_seconds=" + maxSeconds + " passed, exiting");
            System.exit(3);
          } catch (InterruptedException e) {
            // not reached: daemon
          }
        });
    if (args.getBool("exit_on_stdin_eof")) {
      daemon(
          "bench-server-stdin",
          () -> {
            try (InputStream in = System.in) {
              while (in.read() >= 0) {
                // the harness never writes; EOF means it is gone or wants us gone
              }
            } catch (IOException ignored) {
              // same as EOF
            }
            System.exit(0);
          });
    }
    System.out.println(
        "READY "
            + description
            + " port="
            + boundPort
            + " pid="
            + ProcessHandle.current().pid()
            + " java="
            + Runtime.version().feature());
    System.out.flush();
    Object lock = new Object();
    synchronized (lock) {
      while (true) {
        lock.wait();
      }
    }
  }

  private static void daemon(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    t.start();
  }
}
