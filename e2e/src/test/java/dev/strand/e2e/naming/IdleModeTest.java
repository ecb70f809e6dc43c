package dev.strand.e2e.naming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.strand.ConnectivityState;
import dev.strand.MethodDescriptor;
import dev.strand.MethodType;
import dev.strand.client.CallOptions;
import dev.strand.client.Channel;
import dev.strand.client.ManagedChannel;
import dev.strand.server.Server;
import dev.strand.server.ServiceDefinition;
import dev.strand.stub.ClientCalls;
import dev.strand.stub.ServerCalls;
import dev.strand.testing.Utf8Marshaller;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Channel idle mode (connectivity-semantics-and-api.md): with no call for the idle timeout the
 * channel closes its connections and is IDLE; the next call connects again. A call in progress
 * keeps it out of idle however long it runs. For both policies.
 */
@org.junit.jupiter.api.Timeout(60)
class IdleModeTest {
  private static final MethodDescriptor<String, String> SLOW =
      MethodDescriptor.of(
          MethodType.UNARY,
          "strand.test.Slow/Sleep",
          Utf8Marshaller.INSTANCE,
          Utf8Marshaller.INSTANCE);
  private static final Duration IDLE = Duration.ofMillis(300);

  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    server =
        Server.builder()
            .address("127.0.0.1", 0)
            .service(
                ServiceDefinition.builder("strand.test.Slow")
                    .method(
                        SLOW,
                        ServerCalls.unary(
                            millis -> {
                              Thread.sleep(Long.parseLong(millis));
                              return "slept " + millis;
                            }))
                    .build())
            .start();
  }

  @AfterEach
  void stop() throws Exception {
    if (channel != null) {
      channel.shutdownNow();
      channel.awaitTermination(Duration.ofSeconds(5));
    }
    server.shutdownNow();
    server.awaitTermination(Duration.ofSeconds(5));
  }

  private ManagedChannel channel(String policy) {
    return Channel.to("127.0.0.1:" + server.port())
        .plaintext()
        .loadBalancingPolicy(policy)
        .idleTimeout(IDLE)
        .build();
  }

  private String call(long millis) throws Exception {
    return ClientCalls.blockingUnary(
        channel, SLOW, CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(10)), "" + millis);
  }

  /** Waits (bounded) for the channel to reach {@code wanted}, through its state notifications. */
  private void awaitState(ConnectivityState wanted) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    ConnectivityState now = channel.state(false);
    while (now != wanted && System.nanoTime() < deadline) {
      CompletableFuture<Void> changed = new CompletableFuture<>();
      channel.notifyWhenStateChanged(now, () -> changed.complete(null));
      changed.get(10, TimeUnit.SECONDS);
      now = channel.state(false);
    }
    assertEquals(wanted, now);
  }

  @ParameterizedTest
  @ValueSource(strings = {"pick_first", "round_robin"})
  void noCallsForTheIdleTimeoutMeansIdleAndTheNextCallConnectsAgain(String policy)
      throws Exception {
    channel = channel(policy);
    assertEquals("slept 0", call(0));
    assertEquals(ConnectivityState.READY, channel.state(false));
    awaitState(ConnectivityState.IDLE);
    assertEquals("slept 0", call(0));
    assertEquals(ConnectivityState.READY, channel.state(false));
    awaitState(ConnectivityState.IDLE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"pick_first", "round_robin"})
  void aCallInProgressKeepsTheChannelOutOfIdle(String policy) throws Exception {
    channel = channel(policy);
    assertEquals("slept 0", call(0));
    CompletableFuture<String> longCall =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return call(4 * IDLE.toMillis());
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    // Several idle timeouts pass while the call runs: the channel stays READY throughout.
    long end = System.nanoTime() + 3 * IDLE.toNanos();
    while (System.nanoTime() < end) {
      assertNotEquals(ConnectivityState.IDLE, channel.state(false));
      Thread.sleep(20);
    }
    assertEquals("slept " + 4 * IDLE.toMillis(), longCall.get(10, TimeUnit.SECONDS));
    awaitState(ConnectivityState.IDLE);
  }
}
