package dev.strand.web.grpcweb;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.web.grpcweb.Http1Client.Response;
import io.grpc.testing.integration.Messages.SimpleRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Request smuggling (RFC 9112 §6.1, §6.3, §11.2): a request whose body length the server and a
 * proxy in front of it could read two ways is refused with 400 and its connection closed, so no
 * second request hides in its body; the server then serves the next connection as usual.
 */
class Http11SmugglingTest {
  private static final String UNARY = "/grpc.testing.TestService/UnaryCall";
  private static final String HEAD =
      "POST "
          + UNARY
          + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/grpc-web+proto\r\n";

  private WebTestServer server;

  @BeforeEach
  void start() throws Exception {
    server = new WebTestServer();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static byte[] message() {
    return WebFrames.message(SimpleRequest.newBuilder().setResponseSize(3).build());
  }

  /** Sends {@code request}; asserts a 400 and a closed connection; then a good call works. */
  private void assertRefused(String request) throws Exception {
    try (Http1Client client = new Http1Client(server.port())) {
      client.write(request.getBytes(US_ASCII));
      Response response = client.read();
      assertEquals(400, response.status(), response::toString);
      assertTrue(client.closedByServer(), "connection closed");
    }
    try (Http1Client client = new Http1Client(server.port())) {
      client.write(Http1Client.post(UNARY.substring(1), "application/grpc-web+proto", message()));
      assertEquals(200, client.read().status(), "the server is healthy");
    }
  }

  @Test
  void contentLengthAndTransferEncodingTogether() throws Exception {
    assertRefused(
        HEAD
            + "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "0\r\n\r\nPOST /smuggled HTTP/1.1\r\nHost: x\r\n\r\n");
  }

  @Test
  void twoDifferentContentLengths() throws Exception {
    assertRefused(HEAD + "Content-Length: 4\r\nContent-Length: 40\r\n\r\nabcd");
  }

  @Test
  void aTransferCodingOtherThanChunkedLast() throws Exception {
    assertRefused(HEAD + "Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n");
  }

  @Test
  void whitespaceBeforeTheColonOfAHeaderName() throws Exception {
    assertRefused(HEAD + "Transfer-Encoding : chunked\r\nContent-Length: 4\r\n\r\nabcd");
  }
}
