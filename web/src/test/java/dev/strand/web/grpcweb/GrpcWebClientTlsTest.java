package dev.strand.web.grpcweb;

import com.google.gson.JsonObject;
import dev.strand.client.Channel;
import dev.strand.client.ManagedChannel;
import java.nio.file.Path;
import java.util.Map;

/**
 * The same calls over TLS (ALPN h2), as a browser makes them: connect-es trusts gRPC's test CA and
 * checks the server's certificate against a name it is valid for.
 */
class GrpcWebClientTlsTest extends GrpcWebClientTest {
  private static final Path CERTS = Path.of("target", "certs");
  private static final String SERVER_NAME = "foo.test.google.fr";

  @Override
  WebTestServer startServer() throws Exception {
    return new WebTestServer(
        builder -> builder.tls(CERTS.resolve("server1.pem"), CERTS.resolve("server1.key")));
  }

  @Override
  Map<String, JsonObject> runClient(WebTestServer server, Path scratch) throws Exception {
    return NodeGrpcWebClient.run(
        server.baseUrl(true), httpVersion(), CERTS.resolve("ca.pem"), SERVER_NAME, scratch);
  }

  @Override
  ManagedChannel grpcChannel(WebTestServer server) {
    return Channel.to("127.0.0.1", server.port())
        .trustCa(CERTS.resolve("ca.pem"))
        .overrideAuthority(SERVER_NAME)
        .build();
  }
}
