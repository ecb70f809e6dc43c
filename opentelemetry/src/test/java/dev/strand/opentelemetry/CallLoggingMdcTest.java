package dev.strand.opentelemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.strand.client.CallOptions;
import dev.strand.client.Channel;
import dev.strand.client.ManagedChannel;
import dev.strand.interceptor.CallLogging;
import dev.strand.server.Server;
import dev.strand.stub.ClientCalls;
import dev.strand.testing.EchoService;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** CallLogging's lines carry the call's trace and span ids in the MDC, and leave it as it was. */
class CallLoggingMdcTest {
  @Test
  void bothSidesLogTheirCallWithItsTraceIds() throws Exception {
    ListAppender<ILoggingEvent> server = appender("dev.strand.server.calls");
    ListAppender<ILoggingEvent> client = appender("dev.strand.client.calls");
    try (Telemetry telemetry = new Telemetry()) {
      StrandTelemetry strand = StrandTelemetry.create(telemetry.openTelemetry());
      Server s =
          strand
              .configure(Server.builder().address("127.0.0.1", 0))
              .interceptor(CallLogging.server(StrandTelemetry.mdcFields()))
              .service(EchoService.definition())
              .start();
      ManagedChannel channel =
          strand
              .configure(Channel.to("127.0.0.1", s.port()).plaintext())
              .interceptor(CallLogging.client(StrandTelemetry.mdcFields()))
              .build();
      try {
        Span root = telemetry.openTelemetry().getTracer("test").spanBuilder("root").startSpan();
        try (Scope ignored = root.makeCurrent()) {
          MDC.put("request", "kept");
          ClientCalls.blockingUnary(
              channel,
              EchoService.UNARY,
              CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(10)),
              "a");
          assertEquals(Map.of("request", "kept"), MDC.getCopyOfContextMap());
        } finally {
          root.end();
          MDC.clear();
        }
        List<SpanData> spans = telemetry.awaitSpans(x -> x.size() >= 4);
        SpanData recv = telemetry.span(spans, "Recv.strand.test.Echo.Unary");
        Map<String, String> serverMdc = awaitOne(server).getMDCPropertyMap();
        assertEquals(recv.getTraceId(), serverMdc.get("trace_id"));
        assertEquals(recv.getSpanId(), serverMdc.get("span_id"));
        assertEquals(recv.getSpanContext().getTraceFlags().asHex(), serverMdc.get("trace_flags"));
        Map<String, String> clientMdc = awaitOne(client).getMDCPropertyMap();
        assertEquals(root.getSpanContext().getTraceId(), clientMdc.get("trace_id"));
        assertEquals(root.getSpanContext().getSpanId(), clientMdc.get("span_id"));
      } finally {
        channel.close();
        s.close();
      }
    }
  }

  private static ListAppender<ILoggingEvent> appender(String name) {
    Logger logger = (Logger) LoggerFactory.getLogger(name);
    logger.setLevel(Level.DEBUG);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    return appender;
  }

  private static ILoggingEvent awaitOne(ListAppender<ILoggingEvent> appender)
      throws InterruptedException {
    for (int i = 0; i < 200 && appender.list.isEmpty(); i++) {
      Thread.sleep(25);
    }
    assertTrue(!appender.list.isEmpty(), "no line was logged");
    return appender.list.get(0);
  }
}
