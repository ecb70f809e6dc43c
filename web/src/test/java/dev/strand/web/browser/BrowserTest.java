package dev.strand.web.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.strand.Metadata;
import dev.strand.interop.TestServiceImpl;
import dev.strand.server.Cors;
import dev.strand.server.Server;
import dev.strand.server.ServerBuilder;
import dev.strand.server.ServerCall;
import dev.strand.server.ServerCallHandler;
import dev.strand.server.ServerInterceptor;
import dev.strand.web.testing.NodeScripts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real browser against strand-web: headless Chromium (Debian's) loads a page from one origin,
 * http://127.0.0.1:PAGE_PORT, that calls Strand servers on others, whose CORS settings allow the
 * page's origin: http://127.0.0.1:PORT, which Chromium reaches over HTTP/1.1, and
 * https://127.0.0.1:TLS_PORT, over HTTP/2 (ALPN h2). So Chromium sends real preflights and enforces
 * what they and the responses say. The page runs the same cases through connect-web's gRPC-Web
 * transport (binary) and Google's grpc-web runtime (text mode). The same page from
 * http://localhost:PAGE_PORT, an origin the servers do not allow, must fail every call with a CORS
 * error, the server's handlers never reached.
 */
class BrowserTest {
  /**
   * The Connect transport cases (connect-web's createConnectTransport, JSON and binary), on unless
   * {@code -Dstrand.test.browserConnect=false}.
   */
  static final boolean CONNECT_PROTOCOL_SERVED =
      Boolean.parseBoolean(System.getProperty("strand.test.browserConnect", "true"));

  static final String SPECIAL_MESSAGE =
      "\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n";

  /** gRPC's test certificates, unpacked by the build (server1 is for *.test.google.fr). */
  private static final Path CERTS = Path.of("target", "certs");

  @TempDir static Path scratch;

  private static PageServer pages;

  /** Chromium speaks HTTP/1.1 to the cleartext one and HTTP/2 (ALPN h2) to the TLS one. */
  private static Server cleartext;

  private static Server tls;
  private static String allowedPage;
  private static String refusedPage;

  /** http://127.0.0.1:PORT, https://127.0.0.1:TLS_PORT. */
  private static List<String> serverUrls;

  private static List<String> transports;
  private static Map<String, JsonObject> seen;

  /** The Origin header of each call that reached a handler. */
  private static final List<String> callOrigins = new CopyOnWriteArrayList<>();

  /** What the server logged of each preflight it answered: counted at the server. */
  private static final List<String> preflights = new CopyOnWriteArrayList<>();

  private static final Logger corsLog = Logger.getLogger("dev.strand.netty.cors.CorsProtocol");
  private static final Handler preflightRecorder =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          preflights.add(MessageFormat.format(record.getMessage(), record.getParameters()));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeAll
  static void runTheBrowser() throws Exception {
    corsLog.setLevel(Level.FINE);
    corsLog.addHandler(preflightRecorder);
    Path bundle = scratch.resolve("page.js");
    Path descriptors = scratch.resolve("test-proto.binpb");
    Files.write(
        descriptors,
        NodeScripts.descriptorSet(io.grpc.testing.integration.Test.getDescriptor()).toByteArray());
    pages =
        new PageServer(
            Map.of(
                "/index.html", Chromium.DIR.resolve("index.html"),
                "/page.js", bundle,
                "/test-proto.binpb", descriptors));
    String allowedOrigin = "http://127.0.0.1:" + pages.port();
    allowedPage = allowedOrigin + "/index.html";
    refusedPage = "http://localhost:" + pages.port() + "/index.html";
    Cors cors =
        Cors.allowOrigins(allowedOrigin)
            .allowHeaders("x-grpc-test-echo-initial", "x-grpc-test-echo-trailing-bin")
            // The trailer too: Connect's unary responses carry it as a header.
            .exposeHeaders("x-grpc-test-echo-initial", "x-grpc-test-echo-trailing-bin");
    cleartext = server(cors).start();
    // gRPC's test certificate: Chromium is told not to check it.
    tls = server(cors).tls(CERTS.resolve("server1.pem"), CERTS.resolve("server1.key")).start();
    serverUrls = List.of("http://127.0.0.1:" + cleartext.port(), "https://127.0.0.1:" + tls.port());
    transports = new ArrayList<>(List.of("grpc-web", "grpc-web-text"));
    if (CONNECT_PROTOCOL_SERVED) {
      transports.addAll(List.of("connect-json", "connect-binary"));
    }
    seen =
        Chromium.run(
            bundle,
            transports,
            List.of(
                allowedPage,
                serverUrls.get(0),
                allowedPage,
                serverUrls.get(1),
                refusedPage,
                serverUrls.get(0)),
            scratch);
  }

  private static ServerBuilder server(Cors cors) {
    return Server.builder()
        .address("127.0.0.1", 0)
        .service(new TestServiceImpl())
        .interceptor(new OriginRecorder())
        .cors(cors);
  }

  @AfterAll
  static void stop() throws Exception {
    corsLog.removeHandler(preflightRecorder);
    corsLog.setLevel(null);
    if (cleartext != null) {
      cleartext.close();
    }
    if (tls != null) {
      tls.close();
    }
    if (pages != null) {
      pages.close();
    }
  }

  private static JsonObject page(String url, String serverUrl) {
    JsonObject page = seen.get(Chromium.key(url, serverUrl));
    assertTrue(page != null, () -> "Chromium reported nothing for " + url + ": " + seen.keySet());
    assertTrue(page.get("error").isJsonNull(), () -> "the page failed: " + page.get("error"));
    return page;
  }

  /** The allowed page's result of one case over one transport against one server. */
  private static JsonObject result(String serverUrl, String transport, String name) {
    for (JsonElement e : page(allowedPage, serverUrl).getAsJsonArray("results")) {
      JsonObject result = e.getAsJsonObject();
      if (result.get("transport").getAsString().equals(transport)
          && result.get("case").getAsString().equals(name)) {
        return result;
      }
    }
    throw new AssertionError("no " + name + " over " + transport + " to " + serverUrl);
  }

  private static List<Integer> sizes(JsonObject result) {
    List<Integer> sizes = new ArrayList<>();
    result.getAsJsonArray("sizes").forEach(s -> sizes.add(s.getAsInt()));
    return sizes;
  }

  private static void assertOk(JsonObject result, Integer... expectedSizes) {
    assertEquals(0, result.get("code").getAsInt(), result::toString);
    assertEquals(List.of(expectedSizes), sizes(result), result::toString);
  }

  private static void assertStatus(JsonObject result, int code, String message) {
    assertEquals(code, result.get("code").getAsInt(), result::toString);
    if (message != null) {
      assertEquals(message, result.get("message").getAsString(), result::toString);
    }
  }

  private static String header(JsonObject result, String block, String name) {
    JsonElement value = result.getAsJsonObject(block).get(name);
    return value == null ? null : value.getAsString();
  }

  @Test
  void unaryLargeAndStreamingCallsWork() {
    for (String url : serverUrls) {
      for (String transport : transports) {
        assertOk(result(url, transport, "unary"), 10);
        assertOk(result(url, transport, "large_unary"), 314159);
        assertOk(result(url, transport, "server_streaming"), 31415, 9, 2653, 58979);
      }
    }
  }

  @Test
  void requestAndResponseMetadataAndBinaryTrailersCrossOrigins() {
    for (String url : serverUrls) {
      for (String transport : transports) {
        for (String name : List.of("custom_metadata", "custom_metadata_streaming")) {
          JsonObject result = result(url, transport, name);
          assertEquals(0, result.get("code").getAsInt(), result::toString);
          // Readable by the page only because the server exposes it.
          assertEquals(
              "test_initial_metadata_value",
              header(result, "headers", "x-grpc-test-echo-initial"),
              () -> transport + " " + result);
          assertEquals(
              "q6ur",
              header(result, "trailers", "x-grpc-test-echo-trailing-bin"),
              () -> transport + " " + result);
        }
      }
    }
  }

  @Test
  void errorCodesAndMessagesIncludingNonAscii() {
    for (String url : serverUrls) {
      for (String transport : transports) {
        assertStatus(result(url, transport, "special_status_message"), 2, SPECIAL_MESSAGE);
        // Trailers-Only: the status is in the response headers, which the page may read.
        assertStatus(result(url, transport, "status_in_stream"), 9, "précondition échouée");
        assertStatus(result(url, transport, "unimplemented_method"), 12, null);
      }
    }
  }

  @Test
  void deadlinesEndCallsWithDeadlineExceeded() {
    for (String url : serverUrls) {
      for (String transport : transports) {
        assertStatus(result(url, transport, "timeout_on_sleeping_server"), 4, null);
      }
    }
  }

  /** CORS over both HTTP versions: Chromium's own record of how its responses came. */
  @Test
  void theCallsCameOverHttp11AndHttp2() {
    assertEquals(List.of("http/1.1"), protocols(page(allowedPage, serverUrls.get(0))), "cleartext");
    assertEquals(List.of("h2"), protocols(page(allowedPage, serverUrls.get(1))), "TLS, ALPN h2");
  }

  private static List<String> protocols(JsonObject page) {
    List<String> protocols = new ArrayList<>();
    page.getAsJsonArray("protocols").forEach(p -> protocols.add(p.getAsString()));
    return protocols;
  }

  @Test
  void theBrowserSentPreflightsAndTheServerAllowedThem() {
    // Every method the cases call was preflighted (a browser caches the answer by URL).
    for (String method : List.of("UnaryCall", "StreamingOutputCall", "UnimplementedCall")) {
      String allowed =
          "CORS preflight for /grpc.testing.TestService/"
              + method
              + " from "
              + origin(allowedPage)
              + " allowed";
      assertTrue(preflights.contains(allowed), () -> allowed + " not in " + preflights);
    }
  }

  @Test
  void aPageOnAnOriginNotAllowedFailsWithACorsError() {
    JsonObject refused = page(refusedPage, serverUrls.get(0));
    JsonArray results = refused.getAsJsonArray("results");
    assertEquals(
        page(allowedPage, serverUrls.get(0)).getAsJsonArray("results").size(), results.size());
    for (JsonElement e : results) {
      assertNotEquals(0, e.getAsJsonObject().get("code").getAsInt(), e::toString);
      assertTrue(e.getAsJsonObject().getAsJsonArray("sizes").isEmpty(), e::toString);
    }
    String console = refused.getAsJsonArray("console").toString();
    assertTrue(
        console.contains(
            "from origin '"
                + origin(refusedPage)
                + "' has been blocked by CORS policy: Response to preflight request"),
        console);
    String refusal =
        "CORS preflight for /grpc.testing.TestService/UnaryCall refused: origin "
            + origin(refusedPage)
            + " is not allowed";
    assertTrue(preflights.contains(refusal), () -> refusal + " not in " + preflights);
    // The refused preflights kept every call from the server's handlers.
    assertFalse(callOrigins.contains(origin(refusedPage)), callOrigins::toString);
    assertTrue(callOrigins.contains(origin(allowedPage)), callOrigins::toString);
  }

  private static String origin(String pageUrl) {
    return pageUrl.substring(0, pageUrl.indexOf("/index.html"));
  }

  /** Records each call's Origin, to tell the pages' calls apart. */
  private static final class OriginRecorder implements ServerInterceptor {
    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
        ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
      String origin = headers.get("origin");
      callOrigins.add(origin == null ? "none" : origin);
      return next.startCall(call, headers);
    }
  }
}
