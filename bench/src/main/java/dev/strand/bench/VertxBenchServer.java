package dev.strand.bench;

import io.grpc.benchmarks.proto.Messages.SimpleRequest;
import io.grpc.benchmarks.proto.Messages.SimpleResponse;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.GrpcServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The third rival: grpc.testing.BenchmarkService's UnaryCall on Vert.x gRPC 5.0.7, on the settings
 * Vert.x recommends for throughput: native epoll transport, one verticle per event loop (each with
 * its own HTTP server on the shared port, so every loop accepts and serves its own connections),
 * and the same HTTP/2 settings Strand announces. Only UnaryCall: the side-by-side harness drives it
 * with h2load and the Strand client's unary scenarios.
 */
final class VertxBenchServer implements AutoCloseable {
  static final ServiceMethod<SimpleRequest, SimpleResponse> UNARY_CALL =
      ServiceMethod.server(
          ServiceName.create("grpc.testing", "BenchmarkService"),
          "UnaryCall",
          GrpcMessageEncoder.encoder(),
          GrpcMessageDecoder.decoder(SimpleRequest.newBuilder()));

  private final Vertx vertx;
  private final int port;

  private VertxBenchServer(Vertx vertx, int port) {
    this.vertx = vertx;
    this.port = port;
  }

  /** Starts {@code loops} event loops, each with a verticle serving on {@code host:port}. */
  static VertxBenchServer start(String host, int port, int loops) throws Exception {
    Vertx vertx =
        Vertx.vertx(new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(loops));
    if (!vertx.isNativeTransportEnabled()) {
      // Still measured, but say so: NIO would make Vert.x look slower than its best.
      System.err.println(
          "vertx: native transport unavailable, running on NIO: "
              + vertx.unavailableNativeTransportCause());
    }
    try {
      // Vert.x shares one listening socket among verticles binding the same host:port and spreads
      // the accepted connections over their loops; but with port 0 each would bind its own free
      // port, so a free one is picked first (and released just before Vert.x binds it).
      return new VertxBenchServer(
          vertx, deploy(vertx, host, port == 0 ? freePort(host) : port, loops));
    } catch (Exception e) {
      vertx.close().await(5, TimeUnit.SECONDS);
      throw e;
    }
  }

  private static int deploy(Vertx vertx, String host, int port, int instances) throws Exception {
    List<ServingVerticle> verticles = new CopyOnWriteArrayList<>();
    vertx
        .deployVerticle(
            () -> {
              ServingVerticle v = new ServingVerticle(host, port);
              verticles.add(v);
              return v;
            },
            new DeploymentOptions().setInstances(instances))
        .await(30, TimeUnit.SECONDS);
    Set<Integer> ports = new HashSet<>();
    for (ServingVerticle v : verticles) {
      ports.add(v.server.actualPort());
    }
    if (ports.size() != 1) {
      throw new IllegalStateException("Vert.x verticles listen on different ports: " + ports);
    }
    return ports.iterator().next();
  }

  private static int freePort(String host) throws IOException {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(host))) {
      return probe.getLocalPort();
    }
  }

  int port() {
    return port;
  }

  @Override
  public void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** One event loop's HTTP server with the gRPC handler. */
  private static final class ServingVerticle extends VerticleBase {
    private final String host;
    private final int port;
    HttpServer server;

    ServingVerticle(String host, int port) {
      this.host = host;
      this.port = port;
    }

    @Override
    public Future<?> start() {
      GrpcServer grpc = GrpcServer.server(vertx);
      grpc.callHandler(
          UNARY_CALL,
          request ->
              request.handler(message -> request.response().end(Payloads.responseFor(message))));
      HttpServerOptions options =
          new HttpServerOptions()
              .setHost(host)
              .setPort(port)
              .setTcpNoDelay(true)
              // h2c with prior knowledge, as h2load and the gRPC clients speak it.
              .setHttp2ClearTextEnabled(true)
              .setInitialSettings(
                  new Http2Settings()
                      .setMaxConcurrentStreams(1000)
                      .setInitialWindowSize(1024 * 1024)
                      .setMaxHeaderListSize(8192));
      server = vertx.createHttpServer(options).requestHandler(grpc);
      return server.listen();
    }
  }
}
