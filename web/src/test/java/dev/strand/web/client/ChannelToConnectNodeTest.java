package dev.strand.web.client;

import dev.strand.client.WireProtocol;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;

/** Strand's web-protocol channels over HTTP/1.1 against connect-node's server, both protocols. */
class ChannelToConnectNodeTest {
  private static NodeConnectServer server;

  @BeforeAll
  static void start() throws Exception {
    server = new NodeConnectServer();
  }

  @AfterAll
  static void stop() throws InterruptedException {
    server.close();
  }

  @Nested
  class GrpcWeb extends WebChannelContract {
    @Override
    WireProtocol protocol() {
      return WireProtocol.GRPC_WEB;
    }

    @Override
    String target() {
      return server.target();
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
      return server.target();
    }
  }
}
