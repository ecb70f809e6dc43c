package dev.strand.web.client;

import dev.strand.client.WireProtocol;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Strand's gRPC-Web channel over HTTP/1.1 against Armeria's gRPC-Web server (grpc-java API). */
class GrpcWebChannelToArmeriaTest extends WebChannelContract {
  private static ArmeriaTestServer server;

  @BeforeAll
  static void start() {
    server = new ArmeriaTestServer();
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
    return server.target();
  }
}
