package dev.strand.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.examples.helloworld.Greeter;
import dev.strand.examples.helloworld.HelloRequest;
import dev.strand.examples.observability.ObservedGreeter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The observability example's Prometheus endpoint, scraped over HTTP after a call. */
class ObservedGreeterTest {
  @Test
  void prometheusScrapesGrpcMetricsWithA66NamesAndLabels() throws Exception {
    try (ObservedGreeter greeter = ObservedGreeter.start("127.0.0.1", 0, 0)) {
      String reply =
          Greeter.client(greeter.channel())
              .sayHello(HelloRequest.newBuilder().setName("prometheus").build())
              .getMessage();
      assertTrue(reply.contains("prometheus"), reply);

      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      String body = "";
      // The server records its call as its status leaves, a moment after the client has it.
      for (int i = 0; i < 100 && !body.contains("grpc_server_call_duration_seconds_count"); i++) {
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(URI.create(greeter.metricsUrl()))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        body = response.body();
        Thread.sleep(20);
      }
      String method = "grpc_method=\"helloworld.Greeter/SayHello\"";
      for (String series :
          new String[] {
            "grpc_client_attempt_started_total{",
            "grpc_client_attempt_duration_seconds_bucket{",
            "grpc_client_call_duration_seconds_bucket{",
            "grpc_client_attempt_sent_total_compressed_message_size_bytes_bucket{",
            "grpc_client_attempt_rcvd_total_compressed_message_size_bytes_bucket{",
            "grpc_server_call_started_total{",
            "grpc_server_call_duration_seconds_bucket{",
            "grpc_server_call_sent_total_compressed_message_size_bytes_bucket{",
            "grpc_server_call_rcvd_total_compressed_message_size_bytes_bucket{"
          }) {
        assertTrue(
            body.lines().anyMatch(l -> l.startsWith(series) && l.contains(method)),
            series + " missing from:\n" + body);
      }
      assertTrue(
          body.lines()
              .anyMatch(
                  l ->
                      l.startsWith("grpc_server_call_duration_seconds_bucket{")
                          && l.contains("grpc_status=\"OK\"")
                          && l.contains("le=\"1.0E-4\"")),
          "A66's latency buckets:\n" + body);
      assertTrue(
          body.lines()
              .anyMatch(
                  l ->
                      l.startsWith("grpc_client_call_duration_seconds_count{")
                          && l.contains("grpc_target=\"dns:///127.0.0.1:")
                          && l.endsWith(" 1")),
          body);
    }
  }
}
