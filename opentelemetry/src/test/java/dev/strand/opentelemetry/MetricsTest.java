package dev.strand.opentelemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.MethodDescriptor;
import dev.strand.MethodType;
import dev.strand.Status;
import dev.strand.StatusException;
import dev.strand.client.CallOptions;
import dev.strand.client.Channel;
import dev.strand.client.ManagedChannel;
import dev.strand.opentelemetry.metrics.Instruments;
import dev.strand.server.Server;
import dev.strand.server.ServiceDefinition;
import dev.strand.stub.ClientCalls;
import dev.strand.stub.ClientStreamCall;
import dev.strand.stub.ServerCalls;
import dev.strand.stub.StreamSource;
import dev.strand.testing.EchoService;
import dev.strand.testing.Utf8Marshaller;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A66's instruments as an in-memory SDK records them, for every call shape and for OK, an error, a
 * deadline exceeded, a cancel and a retried call: names, units, attributes, bucket boundaries and
 * the values (message bytes are the UTF-8 lengths of what was sent).
 */
class MetricsTest {
  static final MethodDescriptor<String, String> FLAKY =
      MethodDescriptor.of(
          MethodType.UNARY,
          "strand.test.Flaky/Once",
          Utf8Marshaller.INSTANCE,
          Utf8Marshaller.INSTANCE);
  static final MethodDescriptor<String, String> HANG =
      MethodDescriptor.of(
          MethodType.CLIENT_STREAMING,
          "strand.test.Flaky/Hang",
          Utf8Marshaller.INSTANCE,
          Utf8Marshaller.INSTANCE);

  private final Telemetry telemetry = new Telemetry();
  private final AtomicInteger flakyCalls = new AtomicInteger();
  private final CountDownLatch hangStarted = new CountDownLatch(1);
  private Server server;
  private ManagedChannel channel;
  private String target;

  @BeforeEach
  void start() throws Exception {
    StrandTelemetry strand =
        StrandTelemetry.builder(telemetry.openTelemetry()).tracing(false).build();
    ServiceDefinition flaky =
        ServiceDefinition.builder("strand.test.Flaky")
            .method(
                FLAKY,
                ServerCalls.unary(
                    request -> {
                      if (flakyCalls.getAndIncrement() == 0) {
                        throw Status.UNAVAILABLE.withDescription("once").asException();
                      }
                      return request;
                    }))
            .method(
                HANG,
                ServerCalls.clientStreaming(
                    (StreamSource<String> in) -> {
                      hangStarted.countDown();
                      List<String> all = new ArrayList<>();
                      for (String s : in) {
                        all.add(s);
                      }
                      return String.join(",", all);
                    }))
            .build();
    server =
        strand
            .configure(Server.builder().address("127.0.0.1", 0))
            .service(EchoService.definition())
            .service(flaky)
            .start();
    target = "127.0.0.1:" + server.port();
    channel =
        strand
            .configure(
                Channel.to(target)
                    .plaintext()
                    .defaultServiceConfig(
                        """
                        {"methodConfig": [{"name": [{"service": "strand.test.Flaky", "method": "Once"}],
                          "retryPolicy": {"maxAttempts": 3, "initialBackoff": "0.01s",
                            "maxBackoff": "0.01s", "backoffMultiplier": 1,
                            "retryableStatusCodes": ["UNAVAILABLE"]}}]}
                        """))
            .build();
  }

  @AfterEach
  void stop() {
    channel.close();
    server.close();
    telemetry.close();
  }

  private static CallOptions options() {
    return CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(10));
  }

  private Attributes client(MethodDescriptor<?, ?> method, String status) {
    return status == null
        ? Attributes.of(
            Instruments.METHOD, method.fullName(), Instruments.TARGET, "dns:///" + target)
        : Attributes.of(
            Instruments.METHOD,
            method.fullName(),
            Instruments.TARGET,
            "dns:///" + target,
            Instruments.STATUS,
            status);
  }

  private static Attributes server(MethodDescriptor<?, ?> method, String status) {
    return status == null
        ? Attributes.of(Instruments.METHOD, method.fullName())
        : Attributes.of(Instruments.METHOD, method.fullName(), Instruments.STATUS, status);
  }

  /** One call's worth on both sides: counts 1, the given byte totals. */
  private void assertCall(
      MethodDescriptor<?, ?> method, String status, long requestBytes, long responseBytes)
      throws InterruptedException {
    assertEquals(
        1, telemetry.counter("grpc.client.attempt.started", client(method, null)).getValue());
    assertEquals(1, telemetry.counter("grpc.server.call.started", server(method, null)).getValue());
    assertEquals(
        1, telemetry.histogram("grpc.client.call.duration", client(method, status)).getCount());
    assertEquals(
        1, telemetry.histogram("grpc.client.attempt.duration", client(method, status)).getCount());
    assertEquals(
        requestBytes,
        telemetry
            .histogram(
                "grpc.client.attempt.sent_total_compressed_message_size", client(method, status))
            .getSum());
    assertEquals(
        responseBytes,
        telemetry
            .histogram(
                "grpc.client.attempt.rcvd_total_compressed_message_size", client(method, status))
            .getSum());
    assertEquals(
        1, telemetry.histogram("grpc.server.call.duration", server(method, status)).getCount());
    assertEquals(
        requestBytes,
        telemetry
            .histogram(
                "grpc.server.call.rcvd_total_compressed_message_size", server(method, status))
            .getSum());
    assertEquals(
        responseBytes,
        telemetry
            .histogram(
                "grpc.server.call.sent_total_compressed_message_size", server(method, status))
            .getSum());
  }

  @Test
  void aUnaryCallRecordsEveryInstrumentWithA66sNamesUnitsAttributesAndBuckets() throws Exception {
    assertEquals(
        "echo:hello", ClientCalls.blockingUnary(channel, EchoService.UNARY, options(), "hello"));
    assertCall(EchoService.UNARY, "OK", 5, 10);

    List<MetricData> all = telemetry.collect();
    Map<String, String> units =
        Map.of(
            "grpc.client.attempt.started", "{attempt}",
            "grpc.client.attempt.duration", "s",
            "grpc.client.attempt.sent_total_compressed_message_size", "By",
            "grpc.client.attempt.rcvd_total_compressed_message_size", "By",
            "grpc.client.call.duration", "s",
            "grpc.server.call.started", "{call}",
            "grpc.server.call.duration", "s",
            "grpc.server.call.sent_total_compressed_message_size", "By",
            "grpc.server.call.rcvd_total_compressed_message_size", "By");
    assertEquals(
        units.keySet(),
        all.stream().map(MetricData::getName).collect(java.util.stream.Collectors.toSet()));
    List<Double> latency = Instruments.LATENCY_BUCKETS;
    List<Double> size = Instruments.SIZE_BUCKETS.stream().map(Long::doubleValue).toList();
    for (MetricData metric : all) {
      assertEquals(units.get(metric.getName()), metric.getUnit(), metric.getName());
      if (metric.getName().endsWith("duration")) {
        for (HistogramPointData p : metric.getHistogramData().getPoints()) {
          assertEquals(latency, p.getBoundaries(), metric.getName());
        }
      } else if (metric.getName().endsWith("size")) {
        for (HistogramPointData p : metric.getHistogramData().getPoints()) {
          assertEquals(size, p.getBoundaries(), metric.getName());
        }
      }
    }
    assertEquals(41, latency.size());
    assertEquals(14, size.size());
  }

  @Test
  void streamingShapesAddUpEveryMessage() throws Exception {
    List<String> got = new ArrayList<>();
    try (StreamSource<String> replies =
        ClientCalls.serverStream(channel, EchoService.SERVER_STREAM, options(), "3:ab")) {
      for (String r : replies) {
        got.add(r);
      }
    }
    assertEquals(List.of("ab-0", "ab-1", "ab-2"), got);
    assertCall(EchoService.SERVER_STREAM, "OK", 4, 12);

    ClientStreamCall<String, String> upload =
        ClientCalls.clientStream(channel, EchoService.CLIENT_STREAM, options());
    upload.send("one");
    upload.send("two");
    assertEquals("one,two", upload.finish());
    assertCall(EchoService.CLIENT_STREAM, "OK", 6, 7);

    var chat = ClientCalls.bidiStream(channel, EchoService.BIDI, options());
    chat.send("x");
    assertEquals("echo:x", chat.next());
    chat.send("yz");
    assertEquals("echo:yz", chat.next());
    chat.halfClose();
    assertEquals(null, chat.next());
    assertCall(EchoService.BIDI, "OK", 3, 13);
  }

  @Test
  void anErrorIsRecordedWithItsStatus() throws Exception {
    StatusException e =
        assertThrows(
            StatusException.class,
            () -> ClientCalls.blockingUnary(channel, EchoService.UNARY, options(), "fail:5:gone"));
    assertEquals(Status.Code.NOT_FOUND, e.code());
    assertCall(EchoService.UNARY, "NOT_FOUND", 11, 0);
  }

  @Test
  void aDeadlineExceededIsRecordedOnBothSides() throws Exception {
    StatusException e =
        assertThrows(
            StatusException.class,
            () ->
                ClientCalls.blockingUnary(
                    channel,
                    EchoService.UNARY,
                    CallOptions.DEFAULT.withTimeout(Duration.ofMillis(200)),
                    "sleep:3000"));
    assertEquals(Status.Code.DEADLINE_EXCEEDED, e.code());
    HistogramPointData call =
        telemetry.histogram(
            "grpc.client.call.duration", client(EchoService.UNARY, "DEADLINE_EXCEEDED"));
    assertTrue(call.getSum() >= 0.15, "the call lasted until its deadline: " + call.getSum());
    assertEquals(
        1,
        telemetry
            .histogram(
                "grpc.client.attempt.duration", client(EchoService.UNARY, "DEADLINE_EXCEEDED"))
            .getCount());
    // The server ends it at its own deadline, or at the client's RST_STREAM if that comes first.
    HistogramPointData serverEnd =
        serverDuration(EchoService.UNARY, "DEADLINE_EXCEEDED", "CANCELLED");
    assertEquals(1, serverEnd.getCount());
  }

  @Test
  void aCancelIsRecordedAsCancelledOnBothSides() throws Exception {
    ClientStreamCall<String, String> call = ClientCalls.clientStream(channel, HANG, options());
    call.send("partial");
    assertTrue(hangStarted.await(10, TimeUnit.SECONDS));
    call.cancel("changed my mind");
    assertEquals(
        1, telemetry.histogram("grpc.client.call.duration", client(HANG, "CANCELLED")).getCount());
    assertEquals(
        7,
        telemetry
            .histogram(
                "grpc.client.attempt.sent_total_compressed_message_size", client(HANG, "CANCELLED"))
            .getSum());
    assertEquals(1, serverDuration(HANG, "CANCELLED", "CANCELLED").getCount());
  }

  @Test
  void aRetriedCallIsOneCallOfTwoAttempts() throws Exception {
    assertEquals("again", ClientCalls.blockingUnary(channel, FLAKY, options(), "again"));
    assertEquals(
        2, telemetry.counter("grpc.client.attempt.started", client(FLAKY, null)).getValue());
    assertEquals(
        1,
        telemetry
            .histogram("grpc.client.attempt.duration", client(FLAKY, "UNAVAILABLE"))
            .getCount());
    assertEquals(
        1, telemetry.histogram("grpc.client.attempt.duration", client(FLAKY, "OK")).getCount());
    assertEquals(
        1, telemetry.histogram("grpc.client.call.duration", client(FLAKY, "OK")).getCount());
    assertTrue(
        telemetry
            .metric(telemetry.collect(), "grpc.client.call.duration")
            .orElseThrow()
            .getHistogramData()
            .getPoints()
            .stream()
            .noneMatch(p -> p.getAttributes().equals(client(FLAKY, "UNAVAILABLE"))),
        "the call itself did not fail");
    assertEquals(2, telemetry.counter("grpc.server.call.started", server(FLAKY, null)).getValue());
  }

  @Test
  void retryMetricsAreOffByDefaultAndA96sWhenAskedFor() throws Exception {
    assertEquals("one", ClientCalls.blockingUnary(channel, FLAKY, options(), "one"));
    telemetry.histogram("grpc.client.call.duration", client(FLAKY, "OK"));
    assertTrue(telemetry.metric(telemetry.collect(), "grpc.client.call.retries").isEmpty());

    flakyCalls.set(0); // fails once more
    try (Telemetry own = new Telemetry()) {
      StrandTelemetry strand =
          StrandTelemetry.builder(own.openTelemetry()).tracing(false).retryMetrics(true).build();
      ManagedChannel retrying =
          strand
              .configure(
                  Channel.to(target)
                      .plaintext()
                      .defaultServiceConfig(
                          """
                          {"methodConfig": [{"name": [{"service": "strand.test.Flaky"}],
                            "retryPolicy": {"maxAttempts": 3, "initialBackoff": "0.05s",
                              "maxBackoff": "0.05s", "backoffMultiplier": 1,
                              "retryableStatusCodes": ["UNAVAILABLE"]}}]}
                          """))
              .build();
      try {
        assertEquals("two", ClientCalls.blockingUnary(retrying, FLAKY, options(), "two"));
        Attributes call = client(FLAKY, null);
        HistogramPointData retries = own.histogram("grpc.client.call.retries", call);
        assertEquals(1, retries.getCount());
        assertEquals(1, retries.getSum());
        HistogramPointData delay = own.histogram("grpc.client.call.retry_delay", call);
        assertEquals(1, delay.getCount());
        assertTrue(delay.getSum() > 0, "the call waited between its attempts");
        List<MetricData> all = own.collect();
        assertTrue(own.metric(all, "grpc.client.call.hedges").isEmpty(), "not hedged");
        assertTrue(own.metric(all, "grpc.client.call.transparent_retries").isEmpty());
        assertEquals(
            List.of(1d, 2d, 3d, 4d, 5d),
            own.metric(all, "grpc.client.call.retries")
                .orElseThrow()
                .getHistogramData()
                .getPoints()
                .iterator()
                .next()
                .getBoundaries());
        assertEquals(
            "{retry}", own.metric(all, "grpc.client.call.retries").orElseThrow().getUnit());
      } finally {
        retrying.close();
      }
    }
  }

  @Test
  void aHedgedCallCountsHedgesNotRetries() throws Exception {
    try (Telemetry own = new Telemetry()) {
      StrandTelemetry strand =
          StrandTelemetry.builder(own.openTelemetry()).tracing(false).retryMetrics(true).build();
      ManagedChannel hedging =
          strand
              .configure(
                  Channel.to(target)
                      .plaintext()
                      .defaultServiceConfig(
                          """
                          {"methodConfig": [{"name": [{"service": "strand.test.Flaky"}],
                            "hedgingPolicy": {"maxAttempts": 2, "hedgingDelay": "5s",
                              "nonFatalStatusCodes": ["UNAVAILABLE"]}}]}
                          """))
              .build();
      try {
        // The first attempt fails non-fatally: the hedge goes at once and succeeds.
        assertEquals("h", ClientCalls.blockingUnary(hedging, FLAKY, options(), "h"));
        Attributes call = client(FLAKY, null);
        HistogramPointData hedges = own.histogram("grpc.client.call.hedges", call);
        assertEquals(1, hedges.getSum());
        assertTrue(own.metric(own.collect(), "grpc.client.call.retries").isEmpty(), "no retries");
      } finally {
        hedging.close();
      }
    }
  }

  @Test
  void aFilteredClientMethodIsOther() throws Exception {
    StrandTelemetry strand =
        StrandTelemetry.builder(telemetry.openTelemetry())
            .tracing(false)
            .clientMethodFilter(m -> !m.fullName().endsWith("Unary"))
            .build();
    ManagedChannel other = strand.configure(Channel.to(target).plaintext()).build();
    try {
      ClientCalls.blockingUnary(other, EchoService.UNARY, options(), "x");
      assertEquals(
          1,
          telemetry
              .counter(
                  "grpc.client.attempt.started",
                  Attributes.of(
                      Instruments.METHOD, "other", Instruments.TARGET, "dns:///" + target))
              .getValue());
    } finally {
      other.close();
    }
  }

  private HistogramPointData serverDuration(MethodDescriptor<?, ?> method, String one, String other)
      throws InterruptedException {
    for (int i = 0; i < 200; i++) {
      for (HistogramPointData p :
          telemetry
              .metric(telemetry.collect(), "grpc.server.call.duration")
              .map(m -> m.getHistogramData().getPoints())
              .orElse(List.of())) {
        if (p.getAttributes().equals(server(method, one))
            || p.getAttributes().equals(server(method, other))) {
          return p;
        }
      }
      Thread.sleep(25);
    }
    throw new AssertionError("the server never recorded the call's end");
  }
}
