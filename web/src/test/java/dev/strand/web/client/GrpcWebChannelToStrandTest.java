package dev.strand.web.client;

import dev.strand.client.WireProtocol;
import dev.strand.interop.TestServiceImpl;
import dev.strand.server.Server;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Strand's gRPC-Web channel over HTTP/1.1 against Strand's own server (strand-web serving it). */
class GrpcWebChannelToStrandTest extends WebChannelContract {
  private static Server server;

  @BeforeAll
  static void start() throws IOException {
    server = Server.builder().address("127.0.0.1", 0).service(new TestServiceImpl()).start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Override
  WireProtocol protocol() {
    return WireProtocol.GRPC_WEB;
  }

  @Override
  String target() {
    return "127.0.0.1:" + server.port();
  }
}
