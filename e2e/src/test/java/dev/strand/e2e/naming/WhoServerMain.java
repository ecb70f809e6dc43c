package dev.strand.e2e.naming;

import dev.strand.server.Server;

/**
 * A {@link Who} server in a process of its own, so a test can SIGKILL it: {@code ip port}. Prints
 * "listening PORT" once it serves, then runs until killed.
 */
public final class WhoServerMain {
  private WhoServerMain() {}

  public static void main(String[] args) throws Exception {
    // Clients of the keepalive test ping every 500 ms: allowed here, so only a stopped server
    // goes unanswered.
    Server server =
        Server.builder()
            .address(args[0], Integer.parseInt(args[1]))
            .permitKeepAlive(java.time.Duration.ofMillis(100), true)
            .service(Who.definition(args[0]))
            .start();
    System.out.println("listening " + server.port());
    System.out.flush();
    server.awaitTermination(java.time.Duration.ofHours(1));
  }
}
