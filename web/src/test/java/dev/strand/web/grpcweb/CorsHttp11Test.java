package dev.strand.web.grpcweb;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.web.grpcweb.Http1Client.Response;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * CORS over HTTP/1.1, as browsers mostly reach a cleartext server: preflights answered and refused
 * on a kept-alive connection that then serves the call, and the CORS headers on the chunked
 * responses, Trailers-Only answers and HTTP errors to an allowed origin.
 */
class CorsHttp11Test {
  private static final String PAGE = CorsWireTest.PAGE;

  private WebTestServer server;
  private Http1Client client;

  @BeforeEach
  void start() throws Exception {
    server = new WebTestServer(b -> b.cors(CorsWireTest.CORS));
    client = new Http1Client(server.port());
  }

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private static byte[] preflight(String origin, String method, String headers) {
    return ("OPTIONS /"
            + CorsWireTest.UNARY
            + " HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: "
            + origin
            + "\r\nAccess-Control-Request-Method: "
            + method
            + "\r\nAccess-Control-Request-Headers: "
            + headers
            + "\r\n\r\n")
        .getBytes(US_ASCII);
  }

  private void assertCallServed() throws Exception {
    client.write(
        Http1Client.post(
            CorsWireTest.UNARY, CorsWireTest.BINARY, CorsWireTest.unary(4), "Origin: " + PAGE));
    Response response = client.read();
    assertEquals(200, response.status(), response::toString);
    assertEquals("chunked", response.header("transfer-encoding"));
    assertEquals(PAGE, response.header("access-control-allow-origin"));
    assertEquals(
        CorsWireTest.EXPOSED_HEADERS,
        CorsWireTest.list(response.header("access-control-expose-headers")));
    assertEquals("origin", response.header("vary"));
    assertEquals(2, WebFrames.parse(response.body()).size());
  }

  @Test
  void preflightThenTheCallOnTheSameConnection() throws Exception {
    client.write(preflight(PAGE, "POST", "content-type, x-grpc-web, x-user-agent, X-Custom"));
    Response preflight = client.read();
    assertEquals(204, preflight.status(), preflight::toString);
    // RFC 9110: a 204 says nothing of a length, and has no body.
    assertNull(preflight.header("content-length"), preflight.headers()::toString);
    assertNull(preflight.header("transfer-encoding"), preflight.headers()::toString);
    assertEquals(PAGE, preflight.header("access-control-allow-origin"));
    assertEquals(
        List.of("POST", "GET", "PUT", "PATCH", "DELETE"),
        CorsWireTest.list(preflight.header("access-control-allow-methods")));
    assertEquals(
        CorsWireTest.ALLOWED_HEADERS,
        CorsWireTest.list(preflight.header("access-control-allow-headers")));
    assertEquals("600", preflight.header("access-control-max-age"));
    assertNull(preflight.header("connection"), "kept alive");
    assertCallServed();
  }

  /** A preflight has no body: one that comes with one is answered, the body dropped. */
  @Test
  void preflightWithABodyIsAnsweredAndTheConnectionKept() throws Exception {
    byte[] head = preflight(PAGE, "POST", "content-type");
    String withBody =
        new String(head, US_ASCII).replace("\r\n\r\n", "\r\nContent-Length: 5\r\n\r\nhello");
    client.write(withBody.getBytes(US_ASCII));
    Response preflight = client.read();
    assertEquals(204, preflight.status(), preflight::toString);
    assertEquals(PAGE, preflight.header("access-control-allow-origin"));
    assertCallServed();
  }

  @Test
  void refusedPreflightsLeaveTheConnectionServing() throws Exception {
    client.write(preflight("http://evil.example", "POST", "content-type"));
    Response refused = client.read();
    assertEquals(403, refused.status(), refused::toString);
    CorsWireTest.assertNoCors(refused.headers());
    assertEquals(
        "CORS preflight refused: origin http://evil.example is not allowed\n",
        new String(refused.body(), UTF_8));
    client.write(preflight(PAGE, "POST", "x-unknown"));
    Response header = client.read();
    assertEquals(403, header.status(), header::toString);
    assertTrue(new String(header.body(), UTF_8).contains("x-unknown"));
    assertCallServed();
  }

  @Test
  void trailersOnlyAndHttpErrorsToAnAllowedOriginCarryCorsHeaders() throws Exception {
    client.write(
        Http1Client.post(
            "no.such.Service/Nothing",
            CorsWireTest.BINARY,
            CorsWireTest.unary(1),
            "Origin: " + PAGE));
    Response unknown = client.read();
    assertEquals("12", unknown.header("grpc-status"), unknown::toString);
    assertEquals(PAGE, unknown.header("access-control-allow-origin"));
    client.write(
        ("GET /" + CorsWireTest.UNARY + " HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: " + PAGE + "\r\n")
            .concat("Content-Type: application/grpc-web\r\n\r\n")
            .getBytes(US_ASCII));
    Response get = client.read();
    assertEquals(405, get.status(), get::toString);
    assertEquals(PAGE, get.header("access-control-allow-origin"));
    assertCallServed();
  }
}
