package dev.strand.bench.rest;

import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.server.grpc.GrpcService;
import dev.strand.bench.Args;
import dev.strand.bench.ServerMain;
import dev.strand.server.Server;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * One server of the REST-vs-gRPC benchmark, on 127.0.0.1, each in a JVM of its own:
 *
 * <pre>
 *   --impl=strand    gRPC, Connect and transcoded REST/JSON (strand-web) on one port, HTTP/2
 *                    with prior knowledge and HTTP/1.1
 *   --impl=armeria   Armeria 1.33.4: the grpc-java service with its HttpJsonTranscoding
 *   --impl=javalin   Javalin 7.2.3 + Jackson: the same JSON at the same paths, no gRPC
 *   --port=N         0 picks a free port (printed)
 *   --max_seconds=N  exits after this long whatever happens (default 3600)
 *   --exit_on_stdin_eof
 * </pre>
 *
 * Prints {@code READY impl=.. port=.. pid=..} once serving.
 */
public final class RestBenchServer {
  private RestBenchServer() {}

  public static void main(String[] argv) throws Exception {
    Args args = new Args(argv);
    String impl = args.get("impl", "strand");
    int port = args.getInt("port", 0);
    CatalogData data = new CatalogData();
    AutoCloseable server;
    int boundPort;
    switch (impl) {
      case "strand" -> {
        Server s =
            Server.builder().address("127.0.0.1", port).service(new StrandCatalog(data)).start();
        server = s;
        boundPort = s.port();
      }
      case "armeria" -> {
        com.linecorp.armeria.server.Server s =
            com.linecorp.armeria.server.Server.builder()
                .port(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                    SessionProtocol.HTTP)
                .service(
                    GrpcService.builder()
                        .addService(new GrpcJavaCatalog(data))
                        .enableHttpJsonTranscoding(true)
                        .build())
                .build();
        s.start().join();
        server = () -> s.stop().join();
        boundPort = s.activeLocalPort();
      }
      case "javalin" -> {
        JavalinCatalog.Running s = JavalinCatalog.start("127.0.0.1", port, data);
        server = s.app()::stop;
        boundPort = s.port();
      }
      default -> throw new IllegalArgumentException("--impl must be strand, armeria or javalin");
    }
    ServerMain.serveUntilStopped(args, server, boundPort, "impl=" + impl);
  }
}
