package dev.strand.opentelemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.Metadata;
import dev.strand.MethodDescriptor;
import dev.strand.MethodType;
import dev.strand.Status;
import dev.strand.StatusException;
import dev.strand.client.CallOptions;
import dev.strand.client.Channel;
import dev.strand.client.ClientCall;
import dev.strand.client.ManagedChannel;
import dev.strand.server.Server;
import dev.strand.server.ServiceDefinition;
import dev.strand.stub.ClientCalls;
import dev.strand.stub.ServerCalls;
import dev.strand.stub.ServerContext;
import dev.strand.testing.Utf8Marshaller;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A72's spans between a Strand client and server: the call span, the attempt span under it, the
 * server span under that, one trace; the server span current in blocking (virtual-thread) and async
 * handlers, so a nested call from there is its child; message events with sizes; statuses; retries
 * as attempt spans; {@code grpc-trace-bin}; and headers that carry no usable context.
 */
class TracingTest {
  static final String SERVICE = "strand.test.Traced";
  static final MethodDescriptor<String, String> ECHO = method("Echo");
  static final MethodDescriptor<String, String> NESTED_BLOCKING = method("NestedBlocking");
  static final MethodDescriptor<String, String> NESTED_ASYNC = method("NestedAsync");
  static final MethodDescriptor<String, String> FLAKY = method("Flaky");

  private Telemetry telemetry;
  private Server server;
  private ManagedChannel channel;
  private final AtomicReference<Metadata> lastHeaders = new AtomicReference<>();
  private final AtomicReference<String> handlerSpan = new AtomicReference<>();
  private final AtomicInteger flaky = new AtomicInteger();

  static MethodDescriptor<String, String> method(String name) {
    return MethodDescriptor.of(
        MethodType.UNARY, SERVICE + "/" + name, Utf8Marshaller.INSTANCE, Utf8Marshaller.INSTANCE);
  }

  private void start(TextMapPropagator propagator) throws Exception {
    telemetry = new Telemetry(propagator);
    StrandTelemetry strand = StrandTelemetry.create(telemetry.openTelemetry());
    ServiceDefinition service =
        ServiceDefinition.builder(SERVICE)
            .method(
                ECHO,
                ServerCalls.unary(
                    request -> {
                      lastHeaders.set(ServerContext.current().requestHeaders());
                      handlerSpan.set(Span.current().getSpanContext().getSpanId());
                      if (request.startsWith("fail")) {
                        throw Status.NOT_FOUND.withDescription("gone").asException();
                      }
                      return request;
                    }))
            .method(
                NESTED_BLOCKING,
                ServerCalls.unary(
                    request -> {
                      handlerSpan.set(Span.current().getSpanContext().getSpanId());
                      return ClientCalls.blockingUnary(
                          channel, ECHO, options(), "nested " + request);
                    }))
            .method(
                NESTED_ASYNC,
                ServerCalls.asyncUnary(
                    request -> {
                      handlerSpan.set(Span.current().getSpanContext().getSpanId());
                      return ClientCalls.futureUnary(channel, ECHO, options(), "nested " + request);
                    }))
            .method(
                FLAKY,
                ServerCalls.unary(
                    request -> {
                      if (flaky.getAndIncrement() == 0) {
                        throw Status.UNAVAILABLE.asException();
                      }
                      return request;
                    }))
            .build();
    server = strand.configure(Server.builder().address("127.0.0.1", 0)).service(service).start();
    channel =
        strand
            .configure(
                Channel.to("127.0.0.1", server.port())
                    .plaintext()
                    .defaultServiceConfig(
                        """
                        {"methodConfig": [{"name": [{"service": "%s", "method": "Flaky"}],
                          "retryPolicy": {"maxAttempts": 3, "initialBackoff": "0.01s",
                            "maxBackoff": "0.01s", "backoffMultiplier": 1,
                            "retryableStatusCodes": ["UNAVAILABLE"]}}]}
                        """
                            .formatted(SERVICE)))
            .build();
  }

  @AfterEach
  void stop() {
    if (channel != null) {
      channel.close();
    }
    if (server != null) {
      server.close();
    }
    if (telemetry != null) {
      telemetry.close();
    }
  }

  private static CallOptions options() {
    return CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(10));
  }

  private Tracer testTracer() {
    return telemetry.openTelemetry().getTracer("test");
  }

  /** Runs {@code call} inside a span of the test's own; returns that span's context. */
  private SpanData callInsideRootSpan(Runnable call) throws Exception {
    Span root = testTracer().spanBuilder("test-root").startSpan();
    try (Scope ignored = root.makeCurrent()) {
      call.run();
    } finally {
      root.end();
    }
    return telemetry.span(
        telemetry.awaitSpans(s -> s.stream().anyMatch(x -> x.getName().equals("test-root"))),
        "test-root");
  }

  private static String call(ManagedChannel channel, MethodDescriptor<String, String> m, String r) {
    try {
      return ClientCalls.blockingUnary(channel, m, options(), r);
    } catch (StatusException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aCallIsOneTraceOfCallAttemptAndServerSpans() throws Exception {
    start(W3CTraceContextPropagator.getInstance());
    SpanData root = callInsideRootSpan(() -> assertEquals("hello", call(channel, ECHO, "hello")));
    List<SpanData> spans = telemetry.awaitSpans(s -> s.size() >= 4);
    SpanData sent = telemetry.span(spans, "Sent.strand.test.Traced.Echo");
    SpanData attempt = telemetry.span(spans, "Attempt.strand.test.Traced.Echo");
    SpanData recv = telemetry.span(spans, "Recv.strand.test.Traced.Echo");
    String trace = root.getTraceId();
    for (SpanData s : List.of(sent, attempt, recv)) {
      assertEquals(trace, s.getTraceId(), s.getName());
      assertEquals(StatusCode.OK, s.getStatus().getStatusCode(), s.getName());
    }
    assertEquals(root.getSpanId(), sent.getParentSpanId());
    assertEquals(sent.getSpanId(), attempt.getParentSpanId());
    assertEquals(attempt.getSpanId(), recv.getParentSpanId());
    assertTrue(recv.getParentSpanContext().isRemote());
    assertEquals(recv.getSpanId(), handlerSpan.get(), "the handler runs in the server span");
    assertEquals(0L, attempt.getAttributes().get(AttributeKey.longKey("previous-rpc-attempts")));
    assertEquals(false, attempt.getAttributes().get(AttributeKey.booleanKey("transparent-retry")));

    // The channel's first call: its pick waited for the connection (DelayEventsTest).
    assertEvents(
        attempt,
        List.of("Delayed LB pick complete", "Outbound message 0 5", "Inbound message 0 5"));
    assertEvents(recv, List.of("Inbound message 0 5", "Outbound message 0 5"));
    String traceparent = lastHeaders.get().get("traceparent");
    // Flags: sampled (01), and OpenTelemetry's "random trace id" bit (02) where it sets it.
    assertTrue(
        traceparent.startsWith("00-" + trace + "-" + attempt.getSpanId() + "-0"), traceparent);
  }

  private static void assertEvents(SpanData span, List<String> expected) {
    List<String> events =
        span.getEvents().stream()
            .map(
                (EventData e) ->
                    e.getAttributes().isEmpty()
                        ? e.getName()
                        : e.getName()
                            + " "
                            + e.getAttributes().get(AttributeKey.longKey("sequence-number"))
                            + " "
                            + e.getAttributes().get(AttributeKey.longKey("message-size")))
            .toList();
    assertEquals(expected, events, span.getName());
  }

  @Test
  void aNestedCallFromABlockingHandlerIsAChildOfTheServerSpan() throws Exception {
    start(W3CTraceContextPropagator.getInstance());
    assertNested(NESTED_BLOCKING);
  }

  @Test
  void aNestedCallFromAnAsyncHandlerIsAChildOfTheServerSpan() throws Exception {
    start(W3CTraceContextPropagator.getInstance());
    assertNested(NESTED_ASYNC);
  }

  private void assertNested(MethodDescriptor<String, String> outer) throws Exception {
    SpanData root = callInsideRootSpan(() -> assertEquals("nested x", call(channel, outer, "x")));
    List<SpanData> spans =
        telemetry.awaitSpans(
            s -> s.stream().filter(x -> x.getName().startsWith("Recv.")).count() >= 2);
    SpanData outerRecv = telemetry.span(spans, "Recv." + outer.fullName().replace('/', '.'));
    SpanData innerSent = telemetry.span(spans, "Sent.strand.test.Traced.Echo");
    SpanData innerRecv = telemetry.span(spans, "Recv.strand.test.Traced.Echo");
    assertEquals(outerRecv.getSpanId(), handlerSpan.get() == null ? null : outerRecv.getSpanId());
    assertEquals(outerRecv.getSpanId(), innerSent.getParentSpanId());
    assertEquals(root.getTraceId(), innerRecv.getTraceId());
    SpanData innerAttempt = telemetry.span(spans, "Attempt.strand.test.Traced.Echo");
    assertEquals(innerAttempt.getSpanId(), innerRecv.getParentSpanId());
  }

  @Test
  void anErrorEndsEverySpanWithItsCodeAndDescription() throws Exception {
    start(W3CTraceContextPropagator.getInstance());
    StatusException e =
        assertThrows(
            StatusException.class,
            () -> ClientCalls.blockingUnary(channel, ECHO, options(), "fail"));
    assertEquals(Status.Code.NOT_FOUND, e.code());
    List<SpanData> spans = telemetry.awaitSpans(s -> s.size() >= 3);
    for (String name : List.of("Sent.", "Attempt.", "Recv.")) {
      SpanData span = telemetry.span(spans, name + "strand.test.Traced.Echo");
      assertEquals(StatusCode.ERROR, span.getStatus().getStatusCode(), name);
      assertEquals("NOT_FOUND, gone", span.getStatus().getDescription(), name);
    }
  }

  @Test
  void aRetryIsASecondAttemptSpanUnderTheSameCallSpan() throws Exception {
    start(W3CTraceContextPropagator.getInstance());
    assertEquals("again", call(channel, FLAKY, "again"));
    List<SpanData> spans =
        telemetry.awaitSpans(s -> s.stream().anyMatch(x -> x.getName().startsWith("Sent.")));
    SpanData sent = telemetry.span(spans, "Sent.strand.test.Traced.Flaky");
    List<SpanData> attempts =
        spans.stream().filter(s -> s.getName().equals("Attempt.strand.test.Traced.Flaky")).toList();
    assertEquals(2, attempts.size(), spans.toString());
    assertEquals(
        List.of(0L, 1L),
        attempts.stream()
            .map(a -> a.getAttributes().get(AttributeKey.longKey("previous-rpc-attempts")))
            .sorted()
            .toList());
    for (SpanData a : attempts) {
      assertEquals(sent.getSpanId(), a.getParentSpanId());
    }
    List<SpanData> recvs =
        spans.stream().filter(s -> s.getName().equals("Recv.strand.test.Traced.Flaky")).toList();
    assertEquals(2, recvs.size());
    assertNotEquals(recvs.get(0).getParentSpanId(), recvs.get(1).getParentSpanId());
  }

  @Test
  void grpcTraceBinCarriesTheContextInItsBinaryForm() throws Exception {
    start(StrandTelemetry.grpcTraceBin());
    SpanData root = callInsideRootSpan(() -> assertEquals("bin", call(channel, ECHO, "bin")));
    byte[] header = lastHeaders.get().getBinary("grpc-trace-bin");
    assertEquals(29, header.length);
    assertFalse(lastHeaders.get().containsKey("traceparent"));
    List<SpanData> spans = telemetry.awaitSpans(s -> s.size() >= 4);
    SpanData attempt = telemetry.span(spans, "Attempt.strand.test.Traced.Echo");
    SpanData recv = telemetry.span(spans, "Recv.strand.test.Traced.Echo");
    assertEquals(root.getTraceId(), recv.getTraceId());
    assertEquals(attempt.getSpanId(), recv.getParentSpanId());
  }

  @Test
  void headersWithAMalformedContextStartANewTraceAndTheCallSucceeds() throws Exception {
    start(
        TextMapPropagator.composite(
            W3CTraceContextPropagator.getInstance(), StrandTelemetry.grpcTraceBin()));
    // A plain channel (no tracing) sends what a broken or hostile peer might.
    try (ManagedChannel plain = Channel.to("127.0.0.1", server.port()).plaintext().build()) {
      for (Metadata bad :
          List.of(
              new Metadata().add("traceparent", "00-not-a-trace-id-01"),
              new Metadata()
                  .add("traceparent", "00-00000000000000000000000000000000-0000000000000000-01"),
              new Metadata().addBinary("grpc-trace-bin", new byte[] {0, 0, 1}),
              new Metadata().addBinary("grpc-trace-bin", new byte[29]))) {
        telemetry.spans.reset();
        assertEquals("ok", unaryWith(plain, bad));
        SpanData recv =
            telemetry.span(telemetry.awaitSpans(s -> !s.isEmpty()), "Recv.strand.test.Traced.Echo");
        assertFalse(recv.getParentSpanContext().isValid(), "a root span for " + bad);
        assertEquals(StatusCode.OK, recv.getStatus().getStatusCode());
      }
    }
  }

  private static String unaryWith(ManagedChannel channel, Metadata headers) throws Exception {
    ClientCall<String, String> call = channel.newCall(ECHO, options());
    CompletableFuture<String> reply = new CompletableFuture<>();
    call.start(
        new ClientCall.Listener<>() {
          @Override
          public void onMessage(String message) {
            reply.complete(message);
          }

          @Override
          public void onClose(Status status, Metadata trailers) {
            if (!status.isOk()) {
              reply.completeExceptionally(status.asException());
            }
          }
        },
        headers);
    call.request(1);
    call.sendMessage("ok");
    call.halfClose();
    return reply.get(10, TimeUnit.SECONDS);
  }

  @Test
  void withoutACurrentSpanTheClientStartsARootTrace() throws Exception {
    start(W3CTraceContextPropagator.getInstance());
    assertEquals(Span.getInvalid(), Span.fromContext(Context.current()));
    assertEquals("solo", call(channel, ECHO, "solo"));
    List<SpanData> spans = telemetry.awaitSpans(s -> s.size() >= 3);
    SpanData sent = telemetry.span(spans, "Sent.strand.test.Traced.Echo");
    assertFalse(sent.getParentSpanContext().isValid());
    assertEquals(
        sent.getTraceId(), telemetry.span(spans, "Recv.strand.test.Traced.Echo").getTraceId());
  }
}
