package dev.strand.e2e.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.strand.Metadata;
import dev.strand.MethodDescriptor;
import dev.strand.Status;
import dev.strand.StatusException;
import dev.strand.client.CallOptions;
import dev.strand.client.ManagedChannel;
import dev.strand.server.ServiceDefinition;
import dev.strand.spi.ClientCallTracer;
import dev.strand.spi.ServerCallTracer;
import dev.strand.stub.ClientCalls;
import dev.strand.stub.ServerCalls;
import dev.strand.stub.ServerContext;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The call-tracer hook, the one metrics and tracing build on: both sides see each call start, its
 * headers, every message with its size as the wire carried it (compressed, as a tap in between
 * reads it from the 5-byte prefixes), and its end once, with the status, however the call ended; a
 * client call that waited for name resolution and an attempt whose pick waited are told so. A
 * tracer that throws does not take the call with it.
 */
@Timeout(30)
class CallTracerTest {
  private final Peers peers = new Peers();
  private final Recorder server = new Recorder();
  private final Recorder client = new Recorder();

  private volatile String seenHeader;
  private final AtomicInteger flakyFailures = new AtomicInteger();

  /** Between the channel and the server, reading the message prefixes. */
  private WireTap tap;

  @AfterEach
  void stop() throws Exception {
    peers.close();
  }

  private ManagedChannel start() throws Exception {
    ServiceDefinition service =
        ServiceDefinition.builder(Probe.SERVICE)
            .method(
                Probe.UNARY,
                ServerCalls.unary(
                    req -> {
                      String text = Probe.text(req);
                      seenHeader =
                          ServerContext.current().requestHeaders().get("x-added-by-tracer");
                      if (text.equals("flaky") && flakyFailures.getAndIncrement() == 0) {
                        throw Status.UNAVAILABLE.withDescription("try again").asException();
                      }
                      if (text.equals("fail")) {
                        throw Status.FAILED_PRECONDITION.withDescription("as asked").asException();
                      }
                      if (text.equals("wait")) {
                        new CountDownLatch(1)
                            .await(5, TimeUnit.SECONDS); // until the deadline cancels it
                      }
                      return req;
                    }))
            .build();
    int port =
        peers
            .start(Peers.strandServer().compression("gzip").tracer(server).service(service))
            .port();
    tap = peers.add(WireTap.to(port));
    return peers.start(
        Peers.strandChannel(tap.port())
            .tracer(client)
            .defaultServiceConfig(
                """
                {"methodConfig": [{"name": [{"service": "%s"}],
                  "retryPolicy": {"maxAttempts": 3, "initialBackoff": "0.01s",
                    "maxBackoff": "0.01s", "backoffMultiplier": 1,
                    "retryableStatusCodes": ["UNAVAILABLE"]}}]}
                """
                    .formatted(Probe.SERVICE)));
  }

  @Test
  void aRetriedCallIsOneCallOfTwoAttemptsEachWithItsOwnHeaders() throws Exception {
    ManagedChannel channel = start();
    byte[] reply =
        ClientCalls.blockingUnary(
            channel,
            Probe.UNARY,
            CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(10)),
            Probe.text("flaky"));
    assertEquals("flaky", Probe.text(reply));
    client.awaitClosed();
    List<String> shape =
        client.events.stream()
            .filter(e -> e.startsWith("start") || e.contains("attempt") || e.startsWith("closed"))
            .toList();
    assertEquals(
        List.of(
            "start " + Probe.UNARY.fullName(),
            "attempt 0",
            "attempt-closed UNAVAILABLE",
            "attempt 1",
            "attempt-closed OK",
            "closed OK"),
        shape);
    assertEquals("attempt-1", seenHeader, "each attempt sends what its tracer added");
  }

  @Test
  void bothSidesSeeTheCallAndTheWireSizesOfItsMessages() throws Exception {
    ManagedChannel channel = start();
    byte[] request = Echoes.PAYLOAD;
    byte[] reply =
        ClientCalls.blockingUnary(
            channel,
            Probe.UNARY,
            CallOptions.DEFAULT.withCompression("gzip").withTimeout(Duration.ofSeconds(10)),
            request);
    assertEquals(request.length, reply.length);

    WireTap.Exchange wire = tap.lastExchange();
    int requestOnWire = (int) wire.requestMessages().get(0).length();
    int replyOnWire = (int) wire.responseMessages().get(0).length();
    server.awaitClosed();
    assertEquals(
        List.of(
            "start " + Probe.UNARY.fullName(),
            "in " + requestOnWire,
            "headers",
            "out " + replyOnWire,
            "closed OK"),
        server.events);
    client.awaitClosed();
    assertEquals(
        List.of(
            "start " + Probe.UNARY.fullName(),
            "attempt 0",
            "resolution-waited",
            "headers",
            "pick-waited",
            "out " + requestOnWire,
            "in-headers",
            "in " + replyOnWire,
            "attempt-closed OK",
            "closed OK"),
        client.events);
    assertEquals("attempt-0", seenHeader, "the header the tracer added reached the server");
  }

  @Test
  void onlyACallOnAColdChannelIsToldOfItsWaitsForResolutionAndPick() throws Exception {
    ManagedChannel channel = start();
    CallOptions options = CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(10));
    ClientCalls.blockingUnary(channel, Probe.UNARY, options, Probe.text("cold"));
    client.awaitClosed();
    // The first call waited for the resolver, then for the connection: each told once.
    assertEquals(1, client.events.stream().filter(e -> e.equals("resolution-waited")).count());
    assertEquals(1, client.events.stream().filter(e -> e.equals("pick-waited")).count());

    client.reset();
    ClientCalls.blockingUnary(channel, Probe.UNARY, options, Probe.text("warm"));
    client.awaitClosed();
    assertEquals(
        List.of(),
        client.events.stream().filter(e -> e.endsWith("-waited")).toList(),
        "resolved and connected: no wait");
  }

  @Test
  void bothSidesSeeEveryEndOnceWithItsStatus() throws Exception {
    ManagedChannel channel = start();
    StatusException failed =
        assertThrows(
            StatusException.class,
            () ->
                ClientCalls.blockingUnary(
                    channel,
                    Probe.UNARY,
                    CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(10)),
                    Probe.text("fail")));
    assertEquals(Status.Code.FAILED_PRECONDITION, failed.code());
    server.awaitClosed();
    client.awaitClosed();
    assertEquals("closed FAILED_PRECONDITION", server.last());
    assertEquals("closed FAILED_PRECONDITION", client.last());

    server.reset();
    client.reset();
    StatusException late =
        assertThrows(
            StatusException.class,
            () ->
                ClientCalls.blockingUnary(
                    channel,
                    Probe.UNARY,
                    CallOptions.DEFAULT.withTimeout(Duration.ofMillis(200)),
                    Probe.text("wait")));
    assertEquals(Status.Code.DEADLINE_EXCEEDED, late.code());
    server.awaitClosed();
    client.awaitClosed();
    // The server's end is its own deadline or the client's RST_STREAM, whichever came first.
    String serverEnd = server.last();
    assertEquals(
        true,
        serverEnd.equals("closed DEADLINE_EXCEEDED") || serverEnd.equals("closed CANCELLED"),
        serverEnd);
    assertEquals("closed DEADLINE_EXCEEDED", client.last());
    assertEquals(1, server.events.stream().filter(e -> e.startsWith("closed")).count());
    assertEquals(1, client.events.stream().filter(e -> e.startsWith("closed")).count());
  }

  @Test
  void theServerTellsItsTracerOfARequestForAMethodItDoesNotHave() throws Exception {
    ManagedChannel channel = start();
    MethodDescriptor<byte[], byte[]> missing =
        MethodDescriptor.of(
            dev.strand.MethodType.UNARY, Probe.SERVICE + "/Missing", Probe.BYTES, Probe.BYTES);
    StatusException e =
        assertThrows(
            StatusException.class,
            () ->
                ClientCalls.blockingUnary(
                    channel,
                    missing,
                    CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(10)),
                    Probe.text("x")));
    assertEquals(Status.Code.UNIMPLEMENTED, e.code());
    server.awaitClosed();
    assertEquals(List.of("rejected unknown UNIMPLEMENTED"), server.events);
  }

  @Test
  void aTracerThatThrowsDoesNotBreakTheCall() throws Exception {
    server.explode = true;
    client.explode = true;
    ManagedChannel channel = start();
    byte[] reply =
        ClientCalls.blockingUnary(
            channel,
            Probe.UNARY,
            CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(10)),
            Probe.text("hi"));
    assertEquals("hi", Probe.text(reply));
  }

  /** Records one side's events of the calls it watches as short strings. */
  private static final class Recorder implements ServerCallTracer, ClientCallTracer {
    final List<String> events = new CopyOnWriteArrayList<>();
    volatile CountDownLatch closed = new CountDownLatch(1);
    volatile boolean explode;

    void reset() {
      events.clear();
      closed = new CountDownLatch(1);
    }

    void awaitClosed() throws InterruptedException {
      assertEquals(true, closed.await(5, TimeUnit.SECONDS), "never closed: " + events);
    }

    String last() {
      return events.get(events.size() - 1);
    }

    private void add(String event) {
      events.add(event);
      explodeIfAsked();
    }

    private void explodeIfAsked() {
      if (explode) {
        throw new IllegalStateException("a tracer with a bug");
      }
    }

    @Override
    public void callRejected(MethodDescriptor<?, ?> method, Status status, long nanos) {
      events.add(
          "rejected " + (method == null ? "unknown" : method.fullName()) + " " + status.code());
      closed.countDown();
    }

    @Override
    public ServerCallTracer.Call callStarted(MethodDescriptor<?, ?> method, Metadata headers) {
      events.add("start " + method.fullName());
      return new ServerCallTracer.Call() {
        @Override
        public void inboundMessage(int wireSize) {
          add("in " + wireSize);
        }

        @Override
        public void outboundHeaders(Metadata headers) {
          add("headers");
        }

        @Override
        public void outboundMessage(int wireSize) {
          add("out " + wireSize);
        }

        @Override
        public void closed(Status status, Metadata trailers) {
          events.add("closed " + status.code());
          closed.countDown();
          explodeIfAsked();
        }
      };
    }

    @Override
    public ClientCallTracer.Call callStarted(MethodDescriptor<?, ?> method, String authority) {
      events.add("start " + method.fullName());
      return new ClientCallTracer.Call() {
        @Override
        public ClientCallTracer.Attempt attemptStarted(int previous, boolean transparent) {
          add("attempt " + previous + (transparent ? " transparent" : ""));
          return new ClientCallTracer.Attempt() {
            @Override
            public void delayedPickComplete() {
              add("pick-waited");
            }

            @Override
            public void outboundHeaders(Metadata headers) {
              headers.put("x-added-by-tracer", "attempt-" + previous);
              add("headers");
            }

            @Override
            public void outboundMessage(int wireSize) {
              add("out " + wireSize);
            }

            @Override
            public void inboundHeaders(Metadata headers) {
              add("in-headers");
            }

            @Override
            public void inboundMessage(int wireSize) {
              add("in " + wireSize);
            }

            @Override
            public void closed(Status status, Metadata trailers) {
              events.add("attempt-closed " + status.code());
              explodeIfAsked();
            }
          };
        }

        @Override
        public void delayedNameResolutionComplete() {
          add("resolution-waited");
        }

        @Override
        public void closed(Status status, Metadata trailers) {
          events.add("closed " + status.code());
          closed.countDown();
          explodeIfAsked();
        }
      };
    }
  }
}
