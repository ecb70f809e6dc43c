package dev.strand.e2e.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strand.server.Server;
import dev.strand.server.ServiceDefinition;
import dev.strand.stub.ServerCalls;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs the snippet of docs/WEB.md: the server it builds answers a browser's preflight over
 * HTTP/1.1. What CORS sends in every case is proven in strand-web (CorsWireTest, BrowserTest).
 */
@Timeout(30)
class WebSnippetsRunTest {

  @Test
  void corsServerAnswersPreflights() throws Exception {
    ServiceDefinition greeter =
        ServiceDefinition.builder(Greeter.SERVICE)
            .method(Greeter.SAY_HELLO, ServerCalls.unary(name -> "Hello " + name))
            .build();
    try (Server server = WebSnippets.corsServer(greeter)) {
      HttpClient http =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(Duration.ofSeconds(5))
              .build();
      HttpRequest preflight =
          HttpRequest.newBuilder(
                  URI.create("http://127.0.0.1:" + server.port() + "/docs.Greeter/SayHello"))
              .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
              .header("Origin", "http://localhost:5173")
              .header("Access-Control-Request-Method", "POST")
              .header("Access-Control-Request-Headers", "content-type,x-grpc-web,authorization")
              .timeout(Duration.ofSeconds(10))
              .build();
      HttpResponse<String> response = http.send(preflight, HttpResponse.BodyHandlers.ofString());
      assertEquals(204, response.statusCode());
      assertEquals(
          "http://localhost:5173",
          response.headers().firstValue("access-control-allow-origin").orElseThrow());
      assertEquals("3600", response.headers().firstValue("access-control-max-age").orElseThrow());
    }
  }
}
