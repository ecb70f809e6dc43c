package dev.strand.opentelemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.strand.MethodDescriptor;
import dev.strand.MethodType;
import dev.strand.Status;
import dev.strand.StatusException;
import dev.strand.client.Backoff;
import dev.strand.client.CallOptions;
import dev.strand.client.Channel;
import dev.strand.client.ManagedChannel;
import dev.strand.server.Server;
import dev.strand.server.ServiceDefinition;
import dev.strand.spi.NameResolver;
import dev.strand.spi.NameResolverProvider;
import dev.strand.spi.TargetUri;
import dev.strand.stub.ClientCalls;
import dev.strand.stub.ServerCalls;
import dev.strand.testing.Utf8Marshaller;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A72's two delay events: "Delayed name resolution complete" on the call span of a call that waited
 * for the channel's resolver, "Delayed LB pick complete" on the attempt span of an attempt whose
 * pick waited for a connection; a call on a warmed-up channel has neither.
 */
class DelayEventsTest {
  static final String RESOLUTION = "Delayed name resolution complete";
  static final String PICK = "Delayed LB pick complete";
  static final MethodDescriptor<String, String> ECHO =
      MethodDescriptor.of(
          MethodType.UNARY,
          "strand.test.Delays/Echo",
          Utf8Marshaller.INSTANCE,
          Utf8Marshaller.INSTANCE);
  static final String SENT = "Sent.strand.test.Delays.Echo";
  static final String ATTEMPT = "Attempt.strand.test.Delays.Echo";

  private final Telemetry telemetry = new Telemetry();
  private final StrandTelemetry strand = StrandTelemetry.create(telemetry.openTelemetry());
  private Server server;
  private ManagedChannel channel;

  @AfterEach
  void stop() {
    if (channel != null) {
      channel.close();
    }
    if (server != null) {
      server.close();
    }
    telemetry.close();
  }

  private Server startServer(int port) throws Exception {
    ServiceDefinition service =
        ServiceDefinition.builder("strand.test.Delays")
            .method(ECHO, ServerCalls.unary(request -> request))
            .build();
    return strand.configure(Server.builder().address("127.0.0.1", port)).service(service).start();
  }

  private static CallOptions options() {
    return CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(10));
  }

  @Test
  void aCallWaitingForTheResolverGetsTheResolutionEventOnItsCallSpan() throws Exception {
    server = startServer(0);
    LateResolver resolver = new LateResolver();
    channel =
        strand.configure(Channel.to("late:///echo").nameResolver(resolver).plaintext()).build();

    // The call is queued as it starts (nothing resolved yet); the resolver answers afterwards.
    CompletableFuture<String> reply = ClientCalls.futureUnary(channel, ECHO, options(), "first");
    resolver.answer(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
    assertEquals("first", reply.get(10, TimeUnit.SECONDS));

    List<SpanData> spans = callSpans();
    assertEquals(List.of(RESOLUTION), events(telemetry.span(spans, SENT)));
    // Resolved, the policy still had to connect: the attempt's pick waited too.
    assertEquals(
        List.of(PICK, "Outbound message", "Inbound message"),
        events(telemetry.span(spans, ATTEMPT)));

    assertWarmCallHasNoDelayEvents();
  }

  @Test
  void anAttemptWhosePickWaitsForAConnectionGetsThePickEventOnly() throws Exception {
    int port = freePort();
    channel =
        strand
            .configure(
                Channel.to("127.0.0.1", port)
                    .plaintext()
                    .backoff(
                        new Backoff(
                            Duration.ofMillis(50),
                            1,
                            0,
                            Duration.ofMillis(50),
                            Duration.ofSeconds(5))))
            .build();
    // No server yet: this call resolves the channel and fails fast.
    StatusException refused =
        assertThrows(
            StatusException.class,
            () -> ClientCalls.blockingUnary(channel, ECHO, options(), "nobody"));
    assertEquals(Status.Code.UNAVAILABLE, refused.code());
    telemetry.awaitSpans(s -> s.stream().anyMatch(x -> x.getName().equals(SENT)));
    telemetry.spans.reset();

    // Queued as it starts (no ready connection), placed once the server is up.
    CompletableFuture<String> reply =
        ClientCalls.futureUnary(channel, ECHO, options().withWaitForReady(), "waits");
    server = startServer(port);
    assertEquals("waits", reply.get(10, TimeUnit.SECONDS));

    List<SpanData> spans = callSpans();
    assertEquals(List.of(), events(telemetry.span(spans, SENT)), "the channel had resolved");
    assertEquals(
        List.of(PICK, "Outbound message", "Inbound message"),
        events(telemetry.span(spans, ATTEMPT)));

    assertWarmCallHasNoDelayEvents();
  }

  private void assertWarmCallHasNoDelayEvents() throws Exception {
    telemetry.spans.reset();
    assertEquals("warm", ClientCalls.blockingUnary(channel, ECHO, options(), "warm"));
    List<SpanData> spans = callSpans();
    assertEquals(List.of(), events(telemetry.span(spans, SENT)));
    assertEquals(
        List.of("Outbound message", "Inbound message"), events(telemetry.span(spans, ATTEMPT)));
  }

  /** The finished spans once the call span (which ends last on the client) is among them. */
  private List<SpanData> callSpans() throws InterruptedException {
    return telemetry.awaitSpans(
        s ->
            s.stream().anyMatch(x -> x.getName().equals(SENT))
                && s.stream().anyMatch(x -> x.getName().equals(ATTEMPT)));
  }

  private static List<String> events(SpanData span) {
    return span.getEvents().stream().map(EventData::getName).toList();
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** {@code late:///...}: answers only when the test says, as a slow DNS server would. */
  private static final class LateResolver implements NameResolverProvider {
    private final CompletableFuture<NameResolver.Listener> started = new CompletableFuture<>();

    @Override
    public String scheme() {
      return "late";
    }

    @Override
    public NameResolver newResolver(TargetUri target, int defaultPort) {
      return new NameResolver() {
        @Override
        public String authority() {
          return target.path();
        }

        @Override
        public void start(Listener listener) {
          started.complete(listener);
        }

        @Override
        public void close() {}
      };
    }

    void answer(InetSocketAddress address) throws Exception {
      started.get(10, TimeUnit.SECONDS).onResult(List.of(NameResolver.Endpoint.of(address)));
    }
  }
}
