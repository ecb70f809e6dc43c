package dev.strand.e2e.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.MethodDescriptor;
import dev.strand.Status;
import dev.strand.StatusException;
import dev.strand.client.CallOptions;
import dev.strand.client.Channel;
import dev.strand.client.ManagedChannel;
import dev.strand.server.Server;
import dev.strand.stub.ClientCalls;
import dev.strand.stub.ClientStreamCall;
import dev.strand.stub.StreamSource;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Retries by the service config's retryPolicy (A6), against Strand and grpc-java 1.85.1 servers
 * that fail on purpose and count the attempts they see.
 */
@Timeout(120)
class RetryTest {
  private static final String RETRY_FLAKY =
      """
      {"methodConfig": [{
        "name": [{"service": "strand.test.Flaky"}],
        "retryPolicy": {
          "maxAttempts": 5, "initialBackoff": "0.0001s", "maxBackoff": "0.001s",
          "backoffMultiplier": 2, "retryableStatusCodes": ["UNAVAILABLE"]}
      }, {
        "name": [{"service": "strand.test.Flaky", "method": "Pushback"}],
        "retryPolicy": {
          "maxAttempts": 2, "initialBackoff": "10s", "maxBackoff": "10s",
          "backoffMultiplier": 1, "retryableStatusCodes": ["UNAVAILABLE"]}
      }]%s}
      """;

  private final Flaky flaky = new Flaky();
  private Server strand;
  private io.grpc.Server grpcJava;
  private final List<ManagedChannel> channels = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (ManagedChannel c : channels) {
      c.shutdownNow();
      c.awaitTermination(Duration.ofSeconds(5));
    }
    if (strand != null) {
      strand.shutdownNow();
      strand.awaitTermination(Duration.ofSeconds(5));
    }
    if (grpcJava != null) {
      grpcJava.shutdownNow().awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  /** A channel with the retry config (and {@code extra} members) to a server of {@code peer}. */
  private ManagedChannel channelTo(String peer, String extra) throws Exception {
    int port;
    if (peer.equals("strand")) {
      strand = Server.builder().address("127.0.0.1", 0).service(flaky.definition()).start();
      port = strand.port();
    } else {
      grpcJava =
          io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder.forAddress(
                  new InetSocketAddress("127.0.0.1", 0))
              .addService(flaky.grpcJavaDefinition())
              .build()
              .start();
      port = grpcJava.getPort();
    }
    ManagedChannel channel =
        Channel.to("127.0.0.1", port)
            .plaintext()
            .defaultServiceConfig(String.format(RETRY_FLAKY, extra))
            .build();
    channels.add(channel);
    return channel;
  }

  private static CallOptions options() {
    return CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(10));
  }

  private static String call(ManagedChannel channel, MethodDescriptor<String, String> m, String r)
      throws Exception {
    return ClientCalls.blockingUnary(channel, m, options(), r);
  }

  @ParameterizedTest
  @ValueSource(strings = {"strand", "grpc-java"})
  void halfOfAttemptsFailingAndEveryCallSucceeds(String peer) throws Exception {
    ManagedChannel channel = channelTo(peer, "");
    for (int i = 0; i < 10_000; i++) {
      assertEquals("ok:" + i, call(channel, Flaky.ALTERNATE, Integer.toString(i)));
    }
    // Every other attempt fails, so each call took exactly two: the retry says it is one.
    assertEquals(20_000, flaky.attempts(Flaky.ALTERNATE));
    Map<String, Integer> previous = new TreeMap<>();
    flaky.previousAttempts.forEach(p -> previous.merge(p, 1, Integer::sum));
    assertEquals(Map.of("-", 10_000, "1", 10_000), previous);
  }

  @ParameterizedTest
  @ValueSource(strings = {"strand", "grpc-java"})
  void throttlingStopsRetriesOnceHalfTheTokensAreGone(String peer) throws Exception {
    ManagedChannel channel =
        channelTo(peer, ", \"retryThrottling\": {\"maxTokens\": 10, \"tokenRatio\": 0.1}");
    List<String> descriptions = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      StatusException e =
          assertThrows(StatusException.class, () -> call(channel, Flaky.ALWAYS, "x"));
      assertEquals(Status.Code.UNAVAILABLE, e.status().code());
      descriptions.add(e.status().description());
    }
    // 10 tokens, one per failed attempt, no retry at 5 or fewer: the first call makes its 5
    // attempts (10 -> 5 tokens), every later one only its first.
    assertEquals(5 + 19, flaky.attempts(Flaky.ALWAYS));
    assertTrue(descriptions.get(0).endsWith("(after 5 attempts)"), descriptions.get(0));
    assertTrue(!descriptions.get(1).contains("attempts)"), descriptions.get(1));
  }

  @Test
  void theLastFailureSaysHowManyAttemptsWereMade() throws Exception {
    ManagedChannel channel = channelTo("strand", "");
    StatusException e = assertThrows(StatusException.class, () -> call(channel, Flaky.ALWAYS, "x"));
    assertEquals(Status.Code.UNAVAILABLE, e.status().code());
    assertEquals("always down (after 5 attempts)", e.status().description());
    assertEquals("4", e.trailers().get("grpc-previous-rpc-attempts"));
    assertEquals(5, flaky.attempts(Flaky.ALWAYS));
    assertEquals(List.of("-", "1", "2", "3", "4"), new ArrayList<>(flaky.previousAttempts));
  }

  @ParameterizedTest
  @ValueSource(strings = {"strand", "grpc-java"})
  void pushbackIsHonouredAndANegativeOrMalformedOneStopsRetries(String peer) throws Exception {
    ManagedChannel channel = channelTo(peer, "");
    for (String stop : List.of("-1", "soon")) {
      long before = flaky.attempts(Flaky.PUSHBACK);
      assertThrows(StatusException.class, () -> call(channel, Flaky.PUSHBACK, stop));
      assertEquals(before + 1, flaky.attempts(Flaky.PUSHBACK), "no retry after pushback " + stop);
    }
    flaky.pushbackArrivals.clear();
    long start = System.nanoTime();
    StatusException e =
        assertThrows(StatusException.class, () -> call(channel, Flaky.PUSHBACK, "300"));
    long tookMillis = (System.nanoTime() - start) / 1_000_000;
    List<Long> arrivals = new ArrayList<>(flaky.pushbackArrivals);
    assertEquals(2, arrivals.size(), "the retry the server asked for");
    long gapMillis = (arrivals.get(1) - arrivals.get(0)) / 1_000_000;
    assertTrue(gapMillis >= 290, "retried after the pushback, not before: " + gapMillis + " ms");
    // Not after the policy's 10 s backoff: the pushback replaced it.
    assertTrue(tookMillis < 5_000, "took " + tookMillis + " ms");
    assertTrue(e.status().description().endsWith("(after 2 attempts)"), e.getMessage());
  }

  @Test
  void aServerStreamThatFailsBeforeItsFirstMessageIsRetried() throws Exception {
    ManagedChannel channel = channelTo("strand", "");
    List<String> received = new ArrayList<>();
    try (StreamSource<String> responses =
        ClientCalls.serverStream(channel, Flaky.FAIL_BEFORE_FIRST, options(), "m")) {
      for (String r : responses) {
        received.add(r);
      }
    }
    assertEquals(List.of("m1", "m2", "m3"), received);
    assertEquals(2, flaky.attempts(Flaky.FAIL_BEFORE_FIRST));
  }

  /**
   * Interop the other way: grpc-java's own client, with the same retry config, against a Strand
   * server: the server sees the attempts and grpc-previous-rpc-attempts as from Strand's client.
   */
  @Test
  void grpcJavasClientRetriesAgainstAStrandServerTheSameWay() throws Exception {
    strand = Server.builder().address("127.0.0.1", 0).service(flaky.definition()).start();
    @SuppressWarnings("unchecked")
    Map<String, ?> config =
        (Map<String, ?>)
            io.grpc.internal.JsonParser.parse(String.format(RETRY_FLAKY, "")); // grpc-java's own
    io.grpc.ManagedChannel grpcChannel =
        io.grpc.ManagedChannelBuilder.forAddress("127.0.0.1", strand.port())
            .usePlaintext()
            .defaultServiceConfig(config)
            .enableRetry()
            .build();
    try {
      io.grpc.MethodDescriptor<String, String> alternate =
          io.grpc.MethodDescriptor.<String, String>newBuilder(
                  dev.strand.e2e.GrpcJavaUtf8.MARSHALLER, dev.strand.e2e.GrpcJavaUtf8.MARSHALLER)
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(Flaky.ALTERNATE.fullName())
              .build();
      for (int i = 0; i < 100; i++) {
        assertEquals(
            "ok:" + i,
            io.grpc.stub.ClientCalls.blockingUnaryCall(
                grpcChannel,
                alternate,
                io.grpc.CallOptions.DEFAULT.withDeadlineAfter(
                    10, java.util.concurrent.TimeUnit.SECONDS),
                Integer.toString(i)));
      }
    } finally {
      grpcChannel.shutdownNow().awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
    }
    assertEquals(200, flaky.attempts(Flaky.ALTERNATE));
    Map<String, Integer> previous = new TreeMap<>();
    flaky.previousAttempts.forEach(p -> previous.merge(p, 1, Integer::sum));
    assertEquals(Map.of("-", 100, "1", 100), previous);
  }

  @Test
  void aStreamCommittedByItsFirstResponseIsNotRetried() throws Exception {
    ManagedChannel channel = channelTo("strand", "");
    List<String> received = new ArrayList<>();
    StatusException e =
        assertThrows(
            StatusException.class,
            () -> {
              try (StreamSource<String> responses =
                  ClientCalls.serverStream(channel, Flaky.ONE_THEN_FAIL, options(), "go")) {
                for (String r : responses) {
                  received.add(r);
                }
              }
            });
    assertEquals(Status.Code.UNAVAILABLE, e.status().code());
    assertEquals(List.of("one"), received);
    assertEquals(1, flaky.attempts(Flaky.ONE_THEN_FAIL), "headers came: committed");
  }

  @Test
  void aClientStreamIsReplayedIntoTheRetry() throws Exception {
    ManagedChannel channel = channelTo("strand", "");
    ClientStreamCall<String, String> call =
        ClientCalls.clientStream(channel, Flaky.JOIN_ON_RETRY, options());
    for (String part : List.of("a", "b", "c")) {
      call.send(part);
    }
    assertEquals("abc", call.finish());
    assertEquals(2, flaky.attempts(Flaky.JOIN_ON_RETRY));
    assertEquals(List.of("-", "1"), new ArrayList<>(flaky.previousAttempts));
  }

  @Test
  void aStreamPastTheBufferLimitCommitsAndIsNotRetried() throws Exception {
    ManagedChannel channel = channelTo("strand", "");
    ClientStreamCall<String, String> call =
        ClientCalls.clientStream(channel, Flaky.READ_ALL_THEN_FAIL, options());
    String chunk = String.join("", Collections.nCopies(64 * 1024, "x"));
    StatusException e =
        assertThrows(
            StatusException.class,
            () -> {
              for (int i = 0; i < 20; i++) { // 1.25 MiB: past the 1 MiB a call may buffer
                call.send(chunk);
              }
              call.finish();
            });
    assertEquals(Status.Code.UNAVAILABLE, e.status().code());
    assertEquals(1, flaky.attempts(Flaky.READ_ALL_THEN_FAIL), "committed: no second attempt");
  }
}
