package dev.strand.e2e.connections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.ConnectivityState;
import dev.strand.client.CallOptions;
import dev.strand.client.Channel;
import dev.strand.client.ManagedChannel;
import dev.strand.stub.ClientCalls;
import dev.strand.testing.EchoService;
import io.grpc.Server;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A8 from the client side: a Strand channel whose keepalive is too eager for a grpc-java server's
 * enforcement (permitKeepAliveTime) is told "too_many_pings", and must double its keepalive time
 * for each new connection until the server is content. A proxy between them timestamps every PING
 * on the wire, so the doubling is measured, not inferred.
 */
@Timeout(30)
class StrandClientPingBackoffTest {
  private static final Duration PERMIT = Duration.ofMillis(400);
  private static final Duration FIRST_INTERVAL = Duration.ofMillis(100);

  @Test
  void keepAliveDoublesAfterTooManyPingsUntilTheServerIsContent() throws Exception {
    Server server =
        GrpcJavaEcho.server(
            b ->
                b.permitKeepAliveTime(PERMIT.toMillis(), TimeUnit.MILLISECONDS)
                    .permitKeepAliveWithoutCalls(true));
    ManagedChannel channel = null;
    try (PingCountingProxy proxy = new PingCountingProxy(server.getPort())) {
      channel =
          Channel.to("127.0.0.1", proxy.port())
              .plaintext()
              .keepAlive(FIRST_INTERVAL, Duration.ofSeconds(5), true)
              .build();
      assertEquals(
          "echo:hi",
          ClientCalls.blockingUnary(
              channel,
              EchoService.UNARY,
              CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(5)),
              "hi"));

      // Idle, pinging. After each too_many_pings the channel goes IDLE; connect it again
      // (without a call, whose HEADERS would forgive the pings) until one connection has
      // lasted 2 s: intervals 100 ms, 200 ms, then 400 ms, which the server permits.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while (System.nanoTime() < deadline) {
        channel.state(true);
        List<PingCountingProxy.Conn> conns = proxy.connections();
        PingCountingProxy.Conn last = conns.isEmpty() ? null : conns.get(conns.size() - 1);
        if (last != null
            && last.closedNanos == 0
            && System.nanoTime() - last.openedNanos > TimeUnit.SECONDS.toNanos(2)) {
          break;
        }
        Thread.sleep(20);
      }

      List<PingCountingProxy.Conn> conns = proxy.connections();
      List<Long> intervals = new ArrayList<>();
      for (PingCountingProxy.Conn c : conns) {
        intervals.add(medianIntervalMillis(c));
      }
      System.out.println(
          "[keepalive] Strand client: "
              + conns.size()
              + " connections, median"
              + " ping interval (ms) per connection "
              + intervals);
      assertTrue(conns.size() >= 3, "expected at least two too_many_pings: " + intervals);
      for (int i = 0; i < conns.size(); i++) {
        if (i < conns.size() - 1) {
          assertEquals(
              List.of("11:too_many_pings"),
              conns.get(i).serverGoAways,
              "connection " + i + " should end with ENHANCE_YOUR_CALM too_many_pings");
        }
        // Connection i pings every FIRST_INTERVAL * 2^i plus a round trip (the wait starts
        // at the previous ack): never sooner, and well short of the next doubling.
        long configured = FIRST_INTERVAL.toMillis() << i;
        long measured = intervals.get(i);
        assertTrue(
            measured >= configured - 10 && measured < configured * 3 / 2 + 100,
            "connection " + i + " should ping every ~" + configured + " ms: " + intervals);
      }
      PingCountingProxy.Conn survivor = conns.get(conns.size() - 1);
      assertTrue(
          survivor.closedNanos == 0 && survivor.serverGoAways.isEmpty(),
          "the last connection should survive at " + intervals);
      assertTrue(survivor.clientPingNanos.size() >= 3, "the survivor should keep pinging");
      assertTrue(intervals.get(intervals.size() - 1) >= PERMIT.toMillis(), intervals.toString());
      assertEquals(ConnectivityState.READY, channel.state(false));
      assertEquals(
          "echo:done",
          ClientCalls.blockingUnary(
              channel,
              EchoService.UNARY,
              CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(5)),
              "done"));
    } finally {
      if (channel != null) {
        channel.shutdownNow();
        channel.awaitTermination(Duration.ofSeconds(5));
      }
      GrpcJavaEcho.close(server);
    }
  }

  private static long medianIntervalMillis(PingCountingProxy.Conn c) {
    List<Long> gaps = new ArrayList<>();
    for (int i = 1; i < c.clientPingNanos.size(); i++) {
      gaps.add((c.clientPingNanos.get(i) - c.clientPingNanos.get(i - 1)) / 1_000_000);
    }
    if (gaps.isEmpty()) {
      return -1;
    }
    Collections.sort(gaps);
    return gaps.get(gaps.size() / 2);
  }
}
