package dev.strand.bench;

import dev.strand.server.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark server, on h2c at 127.0.0.1:
 *
 * <pre>
 *   --impl=strand|grpc-java|vertx|netty
 *                                   which server (vertx: Vert.x gRPC 5.0.7, UnaryCall only;
 *                                   netty: the bare HTTP/2 ceiling)
 *   --handlers=async|blocking       strand: event-loop handlers or blocking ones (virtual threads
 *                                   on 21+, a pool on 17); grpc-java: directExecutor or its
 *                                   default executor
 *   --port=N                        0 picks a free port (printed)
 *   --response_size=N               netty only: the payload of the fixed response (default 100)
 *   --max_seconds=N                 exits after this long whatever happens (default 3600)
 *   --exit_on_stdin_eof             exits when stdin closes (the harness holds a pipe)
 * </pre>
 *
 * Prints {@code READY impl=.. port=.. pid=..} once serving. Stops on SIGTERM or Ctrl-C.
 */
public final class BenchServer {
  private BenchServer() {}

  public static void main(String[] argv) throws Exception {
    Args args = new Args(argv);
    String impl = args.get("impl", "strand");
    String handlers = args.get("handlers", "async");
    int port = args.getInt("port", 0);
    // 0.0.0.0 for the load-balancing section: one server reached at 127.0.0.2, .3, ... (loopback).
    String host = args.get("host", "127.0.0.1");
    AutoCloseable server;
    int boundPort;
    switch (impl) {
      case "strand" -> {
        Server s =
            Server.builder()
                .address(host, port)
                .service(
                    handlers.equals("blocking")
                        ? new StrandBlockingService()
                        : new StrandAsyncService())
                .start();
        server = s;
        boundPort = s.port();
      }
      case "grpc-java" -> {
        NettyServerBuilder b =
            NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                .addService(new GrpcJavaService());
        if (!handlers.equals("blocking")) {
          b.directExecutor();
        }
        io.grpc.Server s = b.build().start();
        server =
            () -> {
              s.shutdown();
              if (!s.awaitTermination(5, TimeUnit.SECONDS)) {
                s.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
              }
            };
        boundPort = s.getPort();
      }
      case "vertx" -> {
        // As many event loops (one verticle each) as Netty gives Strand and the bare server.
        int loops =
            Integer.getInteger(
                "io.netty.eventLoopThreads", 2 * Runtime.getRuntime().availableProcessors());
        VertxBenchServer s = VertxBenchServer.start(host, port, Math.max(1, loops));
        server = s;
        boundPort = s.port();
      }
      case "netty" -> {
        BareNettyServer s =
            BareNettyServer.start("127.0.0.1", port, args.getInt("response_size", 100));
        server = s;
        boundPort = s.port();
      }
      default ->
          throw new IllegalArgumentException("--impl must be strand, grpc-java, vertx or netty");
    }
    ServerMain.serveUntilStopped(args, server, boundPort, "impl=" + impl + " handlers=" + handlers);
  }
}
