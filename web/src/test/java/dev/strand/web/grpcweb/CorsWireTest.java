package dev.strand.web.grpcweb;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.server.Cors;
import dev.strand.web.grpcweb.H2cClient.Response;
import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.Messages.SimpleResponse;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * CORS over HTTP/2, from a bare client: preflights answered or refused (origin, method, header),
 * and the CORS headers on every kind of response to an allowed origin (a call, a Trailers-Only
 * status, an HTTP error), none for other origins or requests without one; the connection carries on
 * after each refusal.
 */
class CorsWireTest {
  static final String UNARY = "grpc.testing.TestService/UnaryCall";
  static final String BINARY = "application/grpc-web+proto";
  static final String PAGE = "http://a.example:8080";

  static final Cors CORS =
      Cors.allowOrigins(PAGE, "https://b.example")
          .allowHeaders("X-Custom", "authorization")
          .exposeHeaders("x-custom-out")
          .maxAge(Duration.ofMinutes(10));

  /** Every request header the gRPC-Web and Connect clients send, and this server's own. */
  static final List<String> ALLOWED_HEADERS =
      List.of(
          "content-type",
          "connect-protocol-version",
          "connect-timeout-ms",
          "connect-accept-encoding",
          "connect-content-encoding",
          "grpc-timeout",
          "grpc-accept-encoding",
          "grpc-encoding",
          "x-grpc-web",
          "x-user-agent",
          "x-custom",
          "authorization");

  static final List<String> EXPOSED_HEADERS =
      List.of(
          "grpc-status",
          "grpc-message",
          "grpc-status-details-bin",
          "grpc-encoding",
          "grpc-accept-encoding",
          "connect-content-encoding",
          "connect-accept-encoding",
          "x-custom-out",
          "trailer-x-custom-out");

  private WebTestServer server;
  private H2cClient client;

  private void start(Consumer<dev.strand.server.ServerBuilder> setup) throws Exception {
    server = new WebTestServer(setup);
    client = new H2cClient(server.port());
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

  static Http2Headers preflight(String origin, String method, String headers) {
    Http2Headers request =
        new DefaultHttp2Headers()
            .method("OPTIONS")
            .scheme("http")
            .path("/" + UNARY)
            .authority("127.0.0.1")
            .add("origin", origin)
            .add("access-control-request-method", method);
    if (headers != null) {
      request.add("access-control-request-headers", headers);
    }
    return request;
  }

  static byte[] unary(int size) {
    return WebFrames.message(SimpleRequest.newBuilder().setResponseSize(size).build());
  }

  static List<String> list(String header) {
    return header == null ? List.of() : Arrays.stream(header.split(",")).map(String::trim).toList();
  }

  static void assertNoCors(Map<String, String> headers) {
    for (String name : headers.keySet()) {
      assertTrue(!name.startsWith("access-control-"), () -> "unexpected " + name + ": " + headers);
    }
  }

  private static Map<String, String> headersOf(Response response) {
    Map<String, String> all = new java.util.LinkedHashMap<>();
    response.headers.forEach(e -> all.put(e.getKey().toString(), e.getValue().toString()));
    return all;
  }

  /** A good call on the same connection: it is still healthy. */
  private void assertStillServing() throws Exception {
    Response response = client.send(H2cClient.post(UNARY, BINARY).add("origin", PAGE), unary(3));
    assertEquals("200", response.status(), response::toString);
    assertEquals(
        3,
        SimpleResponse.parseFrom(WebFrames.parse(response.bodyBytes()).get(0).payload())
            .getPayload()
            .getBody()
            .size());
    assertEquals(PAGE, response.header("access-control-allow-origin"));
  }

  @Test
  void preflightFromAnAllowedOriginIsAnswered() throws Exception {
    start(b -> b.cors(CORS));
    Response response =
        client.send(
            preflight(PAGE, "POST", "content-type,x-grpc-web,X-User-Agent,grpc-timeout,x-custom"));
    assertEquals("204", response.status(), response::toString);
    assertEquals(PAGE, response.header("access-control-allow-origin"));
    assertEquals(
        List.of("POST", "GET", "PUT", "PATCH", "DELETE"),
        list(response.header("access-control-allow-methods")));
    assertEquals(ALLOWED_HEADERS, list(response.header("access-control-allow-headers")));
    assertEquals("600", response.header("access-control-max-age"));
    assertEquals(
        List.of("origin", "access-control-request-method", "access-control-request-headers"),
        list(response.header("vary")));
    assertNull(response.header("access-control-allow-credentials"));
    assertNull(response.header("access-control-expose-headers"));
    assertEquals(0, response.bodyBytes().length);
    assertStillServing();
  }

  /** A preflight has no body; one that sends some anyway is answered, then told to stop. */
  @Test
  void preflightWithABodyIsAnsweredAndTheConnectionCarriesOn() throws Exception {
    start(b -> b.cors(CORS));
    Response response = client.send(preflight(PAGE, "POST", "content-type"), new byte[100]);
    assertEquals("204", response.status(), response::toString);
    assertEquals(PAGE, response.header("access-control-allow-origin"));
    assertStillServing();
  }

  @Test
  void preflightForGetAndWithoutRequestHeadersIsAnswered() throws Exception {
    start(b -> b.cors(CORS));
    Response response = client.send(preflight("https://B.example", "GET", null));
    assertEquals("204", response.status(), response::toString);
    assertEquals("https://B.example", response.header("access-control-allow-origin"));
  }

  @Test
  void preflightFromAnotherOriginIsRefusedWithoutCorsHeaders() throws Exception {
    start(b -> b.cors(CORS));
    Response response = client.send(preflight("http://evil.example", "POST", "content-type"));
    assertEquals("403", response.status(), response::toString);
    assertNoCors(headersOf(response));
    assertEquals(
        "CORS preflight refused: origin http://evil.example is not allowed\n",
        new String(response.bodyBytes(), UTF_8));
    // The same host on another port, or another scheme, is another origin.
    assertEquals("403", client.send(preflight("http://a.example", "POST", null)).status());
    assertEquals("403", client.send(preflight("https://a.example:8080", "POST", null)).status());
    assertStillServing();
  }

  @Test
  void preflightForAnotherMethodOrHeaderIsRefused() throws Exception {
    start(b -> b.cors(CORS));
    Response trace = client.send(preflight(PAGE, "TRACE", null));
    assertEquals("403", trace.status(), trace::toString);
    assertNoCors(headersOf(trace));
    assertTrue(new String(trace.bodyBytes(), UTF_8).contains("method TRACE is not allowed"));
    Response header = client.send(preflight(PAGE, "POST", "content-type, x-not-allowed"));
    assertEquals("403", header.status(), header::toString);
    assertNoCors(headersOf(header));
    assertTrue(
        new String(header.bodyBytes(), UTF_8).contains("request header x-not-allowed"),
        header::toString);
    assertStillServing();
  }

  @Test
  void responsesToAnAllowedOriginCarryCorsHeaders() throws Exception {
    start(b -> b.cors(CORS));
    Response ok = client.send(H2cClient.post(UNARY, BINARY).add("origin", PAGE), unary(5));
    assertEquals("200", ok.status(), ok::toString);
    assertEquals(PAGE, ok.header("access-control-allow-origin"));
    assertEquals(EXPOSED_HEADERS, list(ok.header("access-control-expose-headers")));
    assertEquals("origin", ok.header("vary"));
    assertNull(ok.header("access-control-allow-methods"), "only preflights say those");
    // The service's own response header is still there.
    assertEquals(UNARY, ok.header(WebTestServer.INTERCEPTED_HEADER));
  }

  @Test
  void trailersOnlyAndHttpErrorsCarryCorsHeadersToo() throws Exception {
    start(b -> b.cors(CORS));
    Response unknown =
        client.send(
            H2cClient.post("no.such.Service/Nothing", BINARY).add("origin", PAGE), unary(1));
    assertEquals("12", unknown.header("grpc-status"), unknown::toString);
    assertEquals(PAGE, unknown.header("access-control-allow-origin"));
    assertEquals(EXPOSED_HEADERS, list(unknown.header("access-control-expose-headers")));

    Response json =
        client.send(
            H2cClient.post(UNARY, "application/grpc-web+json").add("origin", PAGE), unary(1));
    assertEquals("415", json.status(), json::toString);
    assertEquals(PAGE, json.header("access-control-allow-origin"));

    Response get =
        client.send(
            new DefaultHttp2Headers()
                .method("GET")
                .scheme("http")
                .path("/" + UNARY)
                .authority("127.0.0.1")
                .add("content-type", BINARY)
                .add("origin", PAGE));
    assertEquals("405", get.status(), get::toString);
    assertEquals(PAGE, get.header("access-control-allow-origin"));
    assertStillServing();
  }

  @Test
  void otherOriginsAndRequestsWithoutOriginGetNoCorsHeaders() throws Exception {
    start(b -> b.cors(CORS));
    Response other =
        client.send(H2cClient.post(UNARY, BINARY).add("origin", "http://evil.example"), unary(2));
    assertEquals("200", other.status(), other::toString);
    assertNoCors(headersOf(other));
    Response none = client.send(H2cClient.post(UNARY, BINARY), unary(2));
    assertEquals("200", none.status(), none::toString);
    assertNoCors(headersOf(none));
    assertNull(none.header("vary"));
    // An OPTIONS without Access-Control-Request-Method is no preflight: gRPC-Web's 405.
    Http2Headers options = preflight(PAGE, "POST", null);
    options.remove("access-control-request-method");
    options.add("content-type", BINARY);
    Response notPreflight = client.send(options);
    assertEquals("405", notPreflight.status(), notPreflight::toString);
    assertEquals(PAGE, notPreflight.header("access-control-allow-origin"));
  }

  @Test
  void withoutCorsThereAreNoCorsHeadersAtAll() throws Exception {
    start(b -> {});
    Response preflight = client.send(preflight(PAGE, "POST", "content-type"));
    assertEquals("405", preflight.status(), preflight::toString);
    assertNoCors(headersOf(preflight));
    Response call = client.send(H2cClient.post(UNARY, BINARY).add("origin", PAGE), unary(2));
    assertEquals("200", call.status(), call::toString);
    assertNoCors(headersOf(call));
  }

  @Test
  void anyOriginEchoesTheOriginButNotTheOpaqueOne() throws Exception {
    start(b -> b.cors(Cors.allowAnyOrigin()));
    Response preflight = client.send(preflight("http://anywhere.example:1234", "POST", null));
    assertEquals("204", preflight.status(), preflight::toString);
    assertEquals("http://anywhere.example:1234", preflight.header("access-control-allow-origin"));
    assertEquals("7200", preflight.header("access-control-max-age"), "the default: two hours");
    Response call =
        client.send(
            H2cClient.post(UNARY, BINARY).add("origin", "http://anywhere.example:1234"), unary(1));
    assertEquals("http://anywhere.example:1234", call.header("access-control-allow-origin"));
    assertEquals(EXPOSED_HEADERS.subList(0, 7), list(call.header("access-control-expose-headers")));
    // Sandboxed frames and files send "null": '*' does not let them in.
    Response opaque = client.send(preflight("null", "POST", null));
    assertEquals("403", opaque.status(), opaque::toString);
  }

  @Test
  void credentialsAreAllowedOnPreflightsAndResponses() throws Exception {
    start(b -> b.cors(Cors.allowOrigins(PAGE).allowCredentials()));
    Response preflight = client.send(preflight(PAGE, "POST", "content-type"));
    assertEquals("204", preflight.status(), preflight::toString);
    assertEquals("true", preflight.header("access-control-allow-credentials"));
    Response call = client.send(H2cClient.post(UNARY, BINARY).add("origin", PAGE), unary(1));
    assertEquals("true", call.header("access-control-allow-credentials"));
    assertEquals(PAGE, call.header("access-control-allow-origin"));
  }

  @Test
  void badSettingsAreRefusedByTheBuilder() {
    assertThrows(IllegalArgumentException.class, () -> Cors.allowAnyOrigin().allowCredentials());
    assertThrows(IllegalArgumentException.class, () -> Cors.allowOrigins());
    assertThrows(IllegalArgumentException.class, () -> Cors.allowOrigins("a.example"));
    assertThrows(IllegalArgumentException.class, () -> Cors.allowOrigins("https://a.example/"));
    assertThrows(IllegalArgumentException.class, () -> Cors.allowOrigins("https://*.example"));
    assertThrows(IllegalArgumentException.class, () -> CORS.allowHeaders("bad header"));
    assertThrows(IllegalArgumentException.class, () -> CORS.exposeHeaders(""));
    assertThrows(IllegalArgumentException.class, () -> CORS.maxAge(Duration.ofSeconds(-1)));
  }
}
