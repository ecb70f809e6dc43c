package dev.strand.interop;

import dev.strand.server.Cors;
import dev.strand.server.Server;
import dev.strand.server.ServerBuilder;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * The interop test server: grpc.testing.TestService on {@code --port}, plaintext or TLS with gRPC's
 * server1 test certificate. Flags as interop-test-descriptions.md names them: {@code --port=N
 * [--use_tls=true]}; {@code --host=ADDR} binds one address instead of all; {@code --web=true}
 * serves gRPC-Web and Connect on the same port too, for other implementations' web clients (it
 * needs strand-web on the class path, which run-test-server.sh puts there; without the flag the web
 * protocols are off even when it is there).
 */
public final class InteropServer {
  /** A class of strand-web's: there when the web protocols can be served. */
  private static final String WEB_PROTOCOL = "dev.strand.web.connect.ConnectProtocol";

  /** grpc-java's interop server takes 16 MiB; very_large_request sends 10 MiB. */
  static final int MAX_MESSAGE_SIZE = 16 * 1024 * 1024;

  private InteropServer() {}

  public static void main(String[] args) throws Exception {
    Flags flags;
    try {
      flags = Flags.parse(args, Set.of("port", "use_tls", "host", "web"));
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(
          "usage: InteropServer --port=N [--use_tls=true|false] [--host=ADDR] [--web=true|false]");
      System.exit(2);
      return;
    }
    int port = flags.getInt("port", 8080);
    boolean useTls = flags.getBool("use_tls", false);
    String host = flags.get("host", null);
    boolean web = flags.getBool("web", false);
    if (web && !webProtocolsPresent()) {
      System.err.println(
          "--web=true needs strand-web on the class path (interop/run-test-server.sh puts it there"
              + " once web is built)");
      System.exit(2);
      return;
    }
    if (!web) {
      // The protocols' own switches: off unless asked for, even with strand-web present.
      System.setProperty("strand.grpcWeb", "false");
      System.setProperty("strand.connect", "false");
    }

    Server server = start(host, port, useTls, web);
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
            + (useTls ? " (TLS)" : " (plaintext)")
            + (web ? ", with gRPC-Web and Connect" : ""));
    System.out.flush();
    stopped.await();
  }

  private static boolean webProtocolsPresent() {
    try {
      Class.forName(WEB_PROTOCOL, false, InteropServer.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  /** Starts the server; port 0 picks a free one. */
  static Server start(String host, int port, boolean useTls) throws java.io.IOException {
    return start(host, port, useTls, false);
  }

  /**
   * {@code web}: pages from any origin may call it (CORS), since other implementations' browser
   * clients are served from wherever their test runner puts them.
   */
  static Server start(String host, int port, boolean useTls, boolean web)
      throws java.io.IOException {
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
    if (web) {
      builder.cors(
          Cors.allowAnyOrigin()
              .allowHeaders("x-grpc-test-echo-initial", "x-grpc-test-echo-trailing-bin")
              .exposeHeaders("x-grpc-test-echo-initial", "x-grpc-test-echo-trailing-bin"));
    }
    return builder.start();
  }
}
