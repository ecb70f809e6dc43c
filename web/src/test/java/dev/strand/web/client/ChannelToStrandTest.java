package dev.strand.web.client;

import dev.strand.client.WireProtocol;
import dev.strand.interop.TestServiceImpl;
import dev.strand.server.Server;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;

/** Strand's web-protocol channels over HTTP/1.1 against Strand's own server (strand-web). */
class ChannelToStrandTest {
  private static Server server;

  @BeforeAll
  static void start() throws IOException {
    server = Server.builder().address("127.0.0.1", 0).service(new TestServiceImpl()).start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static String target() {
    return "127.0.0.1:" + server.port();
  }

  @Nested
  class GrpcWeb extends WebChannelContract {
    @Override
    WireProtocol protocol() {
      return WireProtocol.GRPC_WEB;
    }

    @Override
    String target() {
      return ChannelToStrandTest.target();
    }
  }

  @Nested
  class Connect extends WebChannelContract {
    @Override
    WireProtocol protocol() {
      return WireProtocol.CONNECT;
    }

    @Override
    String target() {
      return ChannelToStrandTest.target();
    }
  }
}
