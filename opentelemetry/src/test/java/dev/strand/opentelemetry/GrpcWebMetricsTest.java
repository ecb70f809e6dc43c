package dev.strand.opentelemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.client.CallOptions;
import dev.strand.client.Channel;
import dev.strand.client.ManagedChannel;
import dev.strand.client.WireProtocol;
import dev.strand.opentelemetry.metrics.Instruments;
import dev.strand.server.Server;
import dev.strand.stub.ClientCalls;
import dev.strand.testing.EchoService;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A gRPC-Web call (strand-web, HTTP/1.1 on the gRPC port) goes through the same server engine, so
 * it is counted and traced like a gRPC one, its W3C context read from its HTTP headers; and
 * Strand's own gRPC-Web client is measured and carries its trace context like the HTTP/2 one.
 */
class GrpcWebMetricsTest {
  @Test
  void strandsGrpcWebClientIsMeasuredAndItsTraceReachesTheServer() throws Exception {
    try (Telemetry telemetry = new Telemetry()) {
      StrandTelemetry strand = StrandTelemetry.create(telemetry.openTelemetry());
      try (Server server =
              strand
                  .configure(Server.builder().address("127.0.0.1", 0))
                  .service(EchoService.definition())
                  .start();
          ManagedChannel channel =
              strand
                  .configure(
                      Channel.to("127.0.0.1", server.port())
                          .plaintext()
                          .protocol(WireProtocol.GRPC_WEB))
                  .build()) {
        assertEquals(
            "echo:web",
            ClientCalls.blockingUnary(
                channel,
                EchoService.UNARY,
                CallOptions.DEFAULT.withTimeout(java.time.Duration.ofSeconds(10)),
                "web"));
        Attributes client =
            Attributes.of(
                Instruments.METHOD,
                EchoService.UNARY.fullName(),
                Instruments.TARGET,
                "dns:///127.0.0.1:" + server.port(),
                Instruments.STATUS,
                "OK");
        assertEquals(1, telemetry.histogram("grpc.client.call.duration", client).getCount());
        assertEquals(
            8,
            telemetry
                .histogram("grpc.client.attempt.rcvd_total_compressed_message_size", client)
                .getSum());
        var spans = telemetry.awaitSpans(s -> s.size() >= 3);
        SpanData attempt = telemetry.span(spans, "Attempt.strand.test.Echo.Unary");
        SpanData recv = telemetry.span(spans, "Recv.strand.test.Echo.Unary");
        assertEquals(attempt.getTraceId(), recv.getTraceId());
        assertEquals(attempt.getSpanId(), recv.getParentSpanId());
      }
    }
  }

  @Test
  void aGrpcWebCallIsMeasuredAndTraced() throws Exception {
    try (Telemetry telemetry = new Telemetry();
        Server server =
            StrandTelemetry.create(telemetry.openTelemetry())
                .configure(Server.builder().address("127.0.0.1", 0))
                .service(EchoService.definition())
                .start()) {
      byte[] message = "web".getBytes(StandardCharsets.UTF_8);
      byte[] body = new byte[5 + message.length];
      body[4] = (byte) message.length;
      System.arraycopy(message, 0, body, 5, message.length);
      String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
      // HttpURLConnection: HTTP/1.1, and in java.base (this module reads no java.net.http).
      HttpURLConnection http =
          (HttpURLConnection)
              URI.create("http://127.0.0.1:" + server.port() + "/" + EchoService.UNARY.fullName())
                  .toURL()
                  .openConnection();
      http.setConnectTimeout(5_000);
      http.setReadTimeout(10_000);
      http.setRequestMethod("POST");
      http.setDoOutput(true);
      http.setRequestProperty("content-type", "application/grpc-web+proto");
      http.setRequestProperty("x-grpc-web", "1");
      http.setRequestProperty("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01");
      try (OutputStream out = http.getOutputStream()) {
        out.write(body);
      }
      assertEquals(200, http.getResponseCode());
      byte[] answer;
      try (InputStream in = http.getInputStream()) {
        answer = in.readAllBytes();
      } finally {
        http.disconnect();
      }
      String text = new String(answer, StandardCharsets.ISO_8859_1);
      assertTrue(text.contains("echo:web") && text.contains("grpc-status:0"), text);

      Attributes ok =
          Attributes.of(Instruments.METHOD, EchoService.UNARY.fullName(), Instruments.STATUS, "OK");
      assertEquals(1, telemetry.histogram("grpc.server.call.duration", ok).getCount());
      assertEquals(
          3,
          telemetry.histogram("grpc.server.call.rcvd_total_compressed_message_size", ok).getSum());
      assertEquals(
          8,
          telemetry.histogram("grpc.server.call.sent_total_compressed_message_size", ok).getSum());
      SpanData recv =
          telemetry.span(telemetry.awaitSpans(s -> !s.isEmpty()), "Recv.strand.test.Echo.Unary");
      assertEquals(traceId, recv.getTraceId());
      assertEquals("00f067aa0ba902b7", recv.getParentSpanId());
    }
  }
}
