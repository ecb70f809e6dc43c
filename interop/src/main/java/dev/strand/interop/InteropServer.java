package dev.strand.interop;

import dev.strand.server.Server;
import dev.strand.server.ServerBuilder;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * The interop test server: grpc.testing.TestService on {@code --port}, plaintext or TLS with gRPC's
 * server1 test certificate. Flags as interop-test-descriptions.md names them: {@code --port=N
 * [--use_tls=true]}; {@code --host=ADDR} binds one address instead of all.
 */
public final class InteropServer {
  /** grpc-java's interop server takes 16 MiB; very_large_request sends 10 MiB. */
  static final int MAX_MESSAGE_SIZE = 16 * 1024 * 1024;

  private InteropServer() {}

  public static void main(String[] args) throws Exception {
    Flags flags;
    try {
      flags = Flags.parse(args, Set.of("port", "use_tls", "host"));
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println("usage: InteropServer --port=N [--use_tls=true|false] [--host=ADDR]");
      System.exit(2);
      return;
    }
    int port = flags.getInt("port", 8080);
    boolean useTls = flags.getBool("use_tls", false);
    String host = flags.get("host", null);

    Server server = start(host, port, useTls);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "interop-server-shutdown"));
    System.out.println(
        "Strand interop server listening on port "
            + server.port()
            + (useTls ? " (TLS)" : " (plaintext)"));
    System.out.flush();
    stopped.await();
  }

  /** Starts the server; port 0 picks a free one. */
  static Server start(String host, int port, boolean useTls) throws java.io.IOException {
    CompressionProbe.install();
    ServerBuilder builder =
        Server.builder()
            .service(new TestServiceImpl())
            .interceptor(new CompressionInterceptor())
            .maxInboundMessageSize(MAX_MESSAGE_SIZE);
    builder = host == null ? builder.port(port) : builder.address(host, port);
    if (useTls) {
      builder.tls(Certs.file("server1.pem"), Certs.file("server1.key"));
    }
    return builder.start();
  }
}
