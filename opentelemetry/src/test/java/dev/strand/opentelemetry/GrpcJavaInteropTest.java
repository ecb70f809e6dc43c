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
import dev.strand.server.Server;
import dev.strand.server.ServiceDefinition;
import dev.strand.stub.ClientCalls;
import dev.strand.stub.ServerCalls;
import dev.strand.testing.Utf8Marshaller;
import io.grpc.opentelemetry.GrpcOpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Strand's OpenTelemetry against grpc-java 1.85.1's own (grpc-opentelemetry): the same calls,
 * measured by each, give the same instrument names, units, types, attribute keys and values and
 * bucket boundaries; and one trace runs Strand client -> grpc-java server -> Strand server, and
 * grpc-java client -> Strand server -> grpc-java server, with each span's parent the one before.
 */
class GrpcJavaInteropTest {
  static final String SERVICE = "strand.test.Interop";
  static final MethodDescriptor<String, String> ECHO = strandMethod("Echo");
  static final MethodDescriptor<String, String> RELAY = strandMethod("Relay");
  static final MethodDescriptor<String, String> FLAKY = strandMethod("Flaky");

  /** Each request to Flaky fails UNAVAILABLE the first time it is seen, by either server. */
  private final java.util.Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private String flaky(String request) throws StatusException {
    if (seen.add(request)) {
      throw Status.UNAVAILABLE.withDescription("try again").asException();
    }
    return request;
  }

  private static final String RETRY_FLAKY =
      """
      {"methodConfig": [{"name": [{"service": "strand.test.Interop", "method": "Flaky"}],
        "retryPolicy": {"maxAttempts": 3, "initialBackoff": "0.01s", "maxBackoff": "0.01s",
          "backoffMultiplier": 1, "retryableStatusCodes": ["UNAVAILABLE"]}}]}
      """;

  /** What grpc-java records, and what Strand records: two SDKs, so each is measured alone. */
  private final Telemetry grpcJava = new Telemetry();

  private final Telemetry strand = new Telemetry();

  private io.grpc.Server javaServer;
  private io.grpc.ManagedChannel javaToStrand;
  private Server strandServer;
  private ManagedChannel strandToJava;

  static MethodDescriptor<String, String> strandMethod(String name) {
    return MethodDescriptor.of(
        MethodType.UNARY, SERVICE + "/" + name, Utf8Marshaller.INSTANCE, Utf8Marshaller.INSTANCE);
  }

  static final io.grpc.MethodDescriptor.Marshaller<String> UTF8 =
      new io.grpc.MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(String value) {
          return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
          try {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };

  /** As generated grpc-java stubs make it: sampled to local tracing, so named in the metrics. */
  static io.grpc.MethodDescriptor<String, String> javaMethod(String name) {
    return io.grpc.MethodDescriptor.<String, String>newBuilder(UTF8, UTF8)
        .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(SERVICE + "/" + name)
        .setSampledToLocalTracing(true)
        .build();
  }

  @BeforeEach
  void start() throws Exception {
    // A96's retry metrics, off by default on both sides, on here to be compared too.
    List<String> retryMetrics =
        List.of(
            "grpc.client.call.retries",
            "grpc.client.call.transparent_retries",
            "grpc.client.call.hedges",
            "grpc.client.call.retry_delay");
    GrpcOpenTelemetry javaOtel =
        GrpcOpenTelemetry.newBuilder()
            .sdk(grpcJava.openTelemetry())
            .enableMetrics(retryMetrics)
            .build();
    StrandTelemetry strandOtel =
        StrandTelemetry.builder(strand.openTelemetry()).retryMetrics(true).build();

    // Strand's server: Echo, and Relay, which calls grpc-java's Echo from its handler.
    ServiceDefinition strandService =
        ServiceDefinition.builder(SERVICE)
            .method(ECHO, ServerCalls.unary(EchoCases::answer))
            .method(FLAKY, ServerCalls.unary(this::flaky))
            .method(
                RELAY,
                ServerCalls.unary(
                    request -> ClientCalls.blockingUnary(strandToJava, ECHO, options(), request)))
            .build();
    strandServer =
        strandOtel
            .configure(Server.builder().address("127.0.0.1", 0))
            .service(strandService)
            .start();

    // grpc-java's server: the same two methods, Relay calling Strand's Echo.
    io.grpc.ServerBuilder<?> javaBuilder =
        io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder.forAddress(
            new InetSocketAddress("127.0.0.1", 0));
    javaOtel.configureServerBuilder(javaBuilder);
    javaServer =
        javaBuilder
            .addService(
                io.grpc.ServerServiceDefinition.builder(SERVICE)
                    .addMethod(
                        javaMethod("Echo"),
                        io.grpc.stub.ServerCalls.asyncUnaryCall(
                            (request, out) -> {
                              try {
                                out.onNext(EchoCases.answer(request));
                                out.onCompleted();
                              } catch (StatusException e) {
                                out.onError(
                                    io.grpc.Status.fromCodeValue(e.code().value())
                                        .withDescription(e.status().description())
                                        .asRuntimeException());
                              }
                            }))
                    .addMethod(
                        javaMethod("Flaky"),
                        io.grpc.stub.ServerCalls.asyncUnaryCall(
                            (request, out) -> {
                              try {
                                out.onNext(flaky(request));
                                out.onCompleted();
                              } catch (StatusException e) {
                                out.onError(io.grpc.Status.UNAVAILABLE.asRuntimeException());
                              }
                            }))
                    .addMethod(
                        javaMethod("Relay"),
                        io.grpc.stub.ServerCalls.asyncUnaryCall(
                            (request, out) -> {
                              out.onNext(
                                  io.grpc.stub.ClientCalls.blockingUnaryCall(
                                      javaToStrand,
                                      javaMethod("Echo"),
                                      io.grpc.CallOptions.DEFAULT.withDeadlineAfter(
                                          10, TimeUnit.SECONDS),
                                      request));
                              out.onCompleted();
                            }))
                    .build())
            .build()
            .start();

    io.grpc.ManagedChannelBuilder<?> toStrand =
        io.grpc.ManagedChannelBuilder.forTarget("127.0.0.1:" + strandServer.port())
            .usePlaintext()
            .defaultServiceConfig(javaServiceConfig())
            .enableRetry();
    javaOtel.configureChannelBuilder(toStrand);
    javaToStrand = toStrand.build();
    strandToJava =
        strandOtel
            .configure(
                Channel.to("127.0.0.1:" + javaServer.getPort())
                    .plaintext()
                    .defaultServiceConfig(RETRY_FLAKY))
            .build();
  }

  /** RETRY_FLAKY as grpc-java takes a service config: maps, lists, doubles. */
  private static Map<String, ?> javaServiceConfig() {
    Map<String, Object> policy =
        Map.of(
            "maxAttempts",
            3.0,
            "initialBackoff",
            "0.01s",
            "maxBackoff",
            "0.01s",
            "backoffMultiplier",
            1.0,
            "retryableStatusCodes",
            List.of("UNAVAILABLE"));
    Map<String, Object> config =
        Map.of(
            "name", List.of(Map.of("service", SERVICE, "method", "Flaky")), "retryPolicy", policy);
    return Map.of("methodConfig", List.of(config));
  }

  @AfterEach
  void stop() throws Exception {
    strandToJava.close();
    javaToStrand.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    javaServer.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    strandServer.close();
    grpcJava.close();
    strand.close();
  }

  private static CallOptions options() {
    return CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(10));
  }

  /** What both servers' Echo answer. */
  static final class EchoCases {
    static String answer(String request) throws StatusException {
      if (request.equals("fail")) {
        throw Status.NOT_FOUND.withDescription("gone").asException();
      }
      return request;
    }
  }

  private String javaCall(String method, String request) {
    return io.grpc.stub.ClientCalls.blockingUnaryCall(
        javaToStrand,
        javaMethod(method),
        io.grpc.CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
        request);
  }

  @Test
  void bothRecordTheSameInstrumentsUnitsAttributesAndBuckets() throws Exception {
    // Each side calls the other's server, OK and NOT_FOUND: each SDK sees one client and one
    // server.
    assertEquals("hi", ClientCalls.blockingUnary(strandToJava, ECHO, options(), "hi"));
    assertThrows(
        StatusException.class,
        () -> ClientCalls.blockingUnary(strandToJava, ECHO, options(), "fail"));
    assertEquals("hi", javaCall("Echo", "hi"));
    assertThrows(io.grpc.StatusRuntimeException.class, () -> javaCall("Echo", "fail"));
    // A method neither server has: UNIMPLEMENTED, counted by the server as "other".
    assertThrows(
        StatusException.class,
        () -> ClientCalls.blockingUnary(strandToJava, strandMethod("Nope"), options(), "hi"));
    assertThrows(io.grpc.StatusRuntimeException.class, () -> javaCall("Nope", "hi"));
    // A retried call: two attempts, one call, and A96's retries and delay.
    assertEquals("s", ClientCalls.blockingUnary(strandToJava, FLAKY, options(), "s"));
    assertEquals("j", javaCall("Flaky", "j"));

    Map<String, String> expected = describe(awaitAll(grpcJava));
    Map<String, String> actual = describe(awaitAll(strand));
    assertEquals(expected, actual);
    assertEquals(11, actual.size(), actual.keySet().toString());
  }

  /** Every call's points on each side: 4 calls by the client, 5 served (2 for Flaky). */
  private static List<MetricData> awaitAll(Telemetry telemetry) throws InterruptedException {
    for (int i = 0; i < 200; i++) {
      List<MetricData> all = perCall(telemetry.collect());
      if (count(all, "grpc.client.call.duration") == 4
          && count(all, "grpc.server.call.duration") == 5
          && count(all, "grpc.client.call.retries") == 1) {
        return all;
      }
      Thread.sleep(25);
    }
    return perCall(telemetry.collect());
  }

  private static long count(List<MetricData> all, String name) {
    return all.stream()
        .filter(m -> m.getName().equals(name))
        .flatMap(m -> m.getHistogramData().getPoints().stream())
        .mapToLong(p -> p.getCount())
        .sum();
  }

  /** A66's per-call instruments (grpc-java also has others, such as its load balancers'). */
  private static List<MetricData> perCall(List<MetricData> all) {
    return all.stream()
        .filter(m -> m.getName().matches("grpc\\.(client\\.(attempt|call)|server\\.call)\\..*"))
        .toList();
  }

  /**
   * Per instrument: its type, unit, and each point's attributes (the target's port aside, which
   * differs: each client calls the other's server), bucket boundaries and, for sizes, the sum.
   */
  private static Map<String, String> describe(List<MetricData> metrics) {
    Map<String, String> out = new TreeMap<>();
    for (MetricData m : metrics) {
      Set<String> points = new TreeSet<>();
      if (m.getType() == MetricDataType.HISTOGRAM) {
        m.getHistogramData()
            .getPoints()
            .forEach(
                p ->
                    points.add(
                        attributes(p.getAttributes())
                            + " buckets="
                            + p.getBoundaries()
                            + (bytesComparable(m, p.getAttributes()) ? " sum=" + p.getSum() : "")));
      } else {
        m.getLongSumData()
            .getPoints()
            .forEach(p -> points.add(attributes(p.getAttributes()) + " value=" + p.getValue()));
      }
      out.put(m.getName(), m.getType() + " " + m.getUnit() + " " + points);
    }
    return out;
  }

  /**
   * Byte totals are compared, except a client's request bytes for a method the server does not
   * have: the server answers from the headers, and whether the request message left before that
   * answer came is a race (grpc-java counts it when the application sends it, Strand when it goes
   * on the wire, so Strand counts 0 when it never did).
   */
  private static boolean bytesComparable(MetricData m, Attributes attributes) {
    return m.getUnit().equals("By")
        && !(m.getName().equals("grpc.client.attempt.sent_total_compressed_message_size")
            && "UNIMPLEMENTED".equals(attributes.get(AttributeKey.stringKey("grpc.status"))));
  }

  private static String attributes(Attributes attributes) {
    return attributes.asMap().entrySet().stream()
        .map(
            e ->
                e.getKey().getKey()
                    + "="
                    + (e.getKey().getKey().equals("grpc.target")
                        ? e.getValue().toString().replaceAll(":\\d+$", ":PORT")
                        : e.getValue()))
        .sorted()
        .collect(Collectors.joining(",", "{", "}"));
  }

  @Test
  void bothPutTheSameDelayEventsOnAColdChannelsFirstCallAndNoneOnTheNext() throws Exception {
    // The first call waits for the resolver, then for the connection; the next waits for neither.
    Map<String, List<List<String>>> expected =
        Map.of(
            "cold",
                List.of(
                    List.of("Delayed name resolution complete"),
                    List.of("Delayed LB pick complete")),
            "warm", List.of(List.of(), List.of()));
    for (String request : List.of("cold", "warm")) {
      strand.spans.reset();
      grpcJava.spans.reset();
      assertEquals(request, ClientCalls.blockingUnary(strandToJava, ECHO, options(), request));
      assertEquals(request, javaCall("Echo", request));
      List<SpanData> strandSpans = strand.awaitSpans(GrpcJavaInteropTest::hasClientSpans);
      List<SpanData> javaSpans = grpcJava.awaitSpans(GrpcJavaInteropTest::hasClientSpans);
      List<String> spans =
          List.of("Sent.strand.test.Interop.Echo", "Attempt.strand.test.Interop.Echo");
      for (int i = 0; i < spans.size(); i++) {
        List<String> want = expected.get(request).get(i);
        List<String> java = delayEvents(grpcJava.span(javaSpans, spans.get(i)));
        // grpc-java holds a cold call for resolution only if the resolver has not answered by the
        // time the call asks for its config, a race with its resolver thread: on a cold call it
        // may leave an event out, but never names one differently or adds one.
        assertTrue(
            want.containsAll(java) && (!want.isEmpty() || java.isEmpty()),
            "grpc-java, " + request + " " + spans.get(i) + ": " + java);
        assertEquals(
            want,
            delayEvents(strand.span(strandSpans, spans.get(i))),
            request + " " + spans.get(i));
      }
    }
  }

  private static boolean hasClientSpans(List<SpanData> spans) {
    return spans.stream().anyMatch(x -> x.getName().startsWith("Sent."))
        && spans.stream().anyMatch(x -> x.getName().startsWith("Attempt."));
  }

  private static List<String> delayEvents(SpanData span) {
    return span.getEvents().stream()
        .map(EventData::getName)
        .filter(name -> name.startsWith("Delayed"))
        .toList();
  }

  @Test
  void aTraceRunsFromAStrandClientThroughGrpcJavaIntoAStrandServer() throws Exception {
    // One SDK for the whole trace here: grpc-java's spans land in its own, so read both.
    Span root = strand.openTelemetry().getTracer("test").spanBuilder("root").startSpan();
    try (Scope ignored = root.makeCurrent()) {
      assertEquals("x", ClientCalls.blockingUnary(strandToJava, RELAY, options(), "x"));
    } finally {
      root.end();
    }
    List<SpanData> strandSpans =
        strand.awaitSpans(
            s ->
                s.stream().filter(x -> x.getName().startsWith("Recv.")).count() >= 1
                    && s.stream().anyMatch(x -> x.getName().equals("root")));
    List<SpanData> javaSpans =
        grpcJava.awaitSpans(
            s ->
                s.stream().filter(x -> x.getName().startsWith("Sent.")).count() >= 1
                    && s.stream().anyMatch(x -> x.getName().startsWith("Recv.")));
    SpanData strandAttempt = strand.span(strandSpans, "Attempt.strand.test.Interop.Relay");
    SpanData javaRecv = grpcJava.span(javaSpans, "Recv.strand.test.Interop.Relay");
    SpanData javaSent = grpcJava.span(javaSpans, "Sent.strand.test.Interop.Echo");
    SpanData javaAttempt = grpcJava.span(javaSpans, "Attempt.strand.test.Interop.Echo");
    SpanData strandRecv = strand.span(strandSpans, "Recv.strand.test.Interop.Echo");
    String trace = root.getSpanContext().getTraceId();
    for (SpanData s : List.of(strandAttempt, javaRecv, javaSent, javaAttempt, strandRecv)) {
      assertEquals(trace, s.getTraceId(), s.getName());
    }
    assertEquals(strandAttempt.getSpanId(), javaRecv.getParentSpanId());
    assertEquals(javaRecv.getSpanId(), javaSent.getParentSpanId());
    assertEquals(javaSent.getSpanId(), javaAttempt.getParentSpanId());
    assertEquals(javaAttempt.getSpanId(), strandRecv.getParentSpanId());
  }

  @Test
  void aTraceRunsFromAGrpcJavaClientThroughStrandIntoAGrpcJavaServer() throws Exception {
    Span root = grpcJava.openTelemetry().getTracer("test").spanBuilder("root").startSpan();
    try (Scope ignored = root.makeCurrent()) {
      assertEquals("y", javaCall("Relay", "y"));
    } finally {
      root.end();
    }
    List<SpanData> javaSpans =
        grpcJava.awaitSpans(
            s ->
                s.stream().anyMatch(x -> x.getName().equals("Recv.strand.test.Interop.Echo"))
                    && s.stream().anyMatch(x -> x.getName().equals("root")));
    List<SpanData> strandSpans =
        strand.awaitSpans(
            s ->
                s.stream().anyMatch(x -> x.getName().startsWith("Sent."))
                    && s.stream().anyMatch(x -> x.getName().startsWith("Recv.")));
    SpanData javaAttempt = grpcJava.span(javaSpans, "Attempt.strand.test.Interop.Relay");
    SpanData strandRecv = strand.span(strandSpans, "Recv.strand.test.Interop.Relay");
    SpanData strandSent = strand.span(strandSpans, "Sent.strand.test.Interop.Echo");
    SpanData strandAttempt = strand.span(strandSpans, "Attempt.strand.test.Interop.Echo");
    SpanData javaRecv = grpcJava.span(javaSpans, "Recv.strand.test.Interop.Echo");
    String trace = root.getSpanContext().getTraceId();
    for (SpanData s : List.of(javaAttempt, strandRecv, strandSent, strandAttempt, javaRecv)) {
      assertEquals(trace, s.getTraceId(), s.getName());
    }
    assertEquals(javaAttempt.getSpanId(), strandRecv.getParentSpanId());
    assertEquals(strandRecv.getSpanId(), strandSent.getParentSpanId());
    assertEquals(strandSent.getSpanId(), strandAttempt.getParentSpanId());
    assertEquals(strandAttempt.getSpanId(), javaRecv.getParentSpanId());
    assertTrue(strandRecv.getParentSpanContext().isRemote());
    assertEquals(
        0L, strandAttempt.getAttributes().get(AttributeKey.longKey("previous-rpc-attempts")));
  }
}
