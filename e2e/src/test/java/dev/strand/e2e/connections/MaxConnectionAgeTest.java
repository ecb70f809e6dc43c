package dev.strand.e2e.connections;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.Metadata;
import dev.strand.server.Server;
import dev.strand.server.ServerCall;
import dev.strand.server.ServerCallHandler;
import dev.strand.server.ServerInterceptor;
import dev.strand.testing.EchoService;
import io.grpc.ManagedChannel;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A9's MAX_CONNECTION_AGE against the reference client: the Strand server ends each connection
 * after ~600 ms (±10%) with the two-phase GOAWAY, and a grpc-java channel making calls all the
 * while, some of them in flight at the GOAWAY, moves to new connections without failing one.
 */
@Timeout(30)
class MaxConnectionAgeTest {
  private static final Duration AGE = Duration.ofMillis(600);
  private static final Duration RUN = Duration.ofMillis(2_500);
  private static final int CALLERS = 4;

  @Test
  void grpcJavaClientCrossesAgeGoAwaysWithoutFailures() throws Exception {
    Set<SocketAddress> connections = ConcurrentHashMap.newKeySet();
    ServerInterceptor recordPeer =
        new ServerInterceptor() {
          @Override
          public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
              ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
            connections.add(call.info().remoteAddress());
            return next.startCall(call, headers);
          }
        };
    Server server =
        Server.builder()
            .address("127.0.0.1", 0)
            .service(EchoService.definition())
            .interceptor(recordPeer)
            .maxConnectionAge(AGE, Duration.ofSeconds(5))
            .start();
    ManagedChannel channel = GrpcJavaEcho.channel(server.port()).build();
    try {
      List<String> failures = Collections.synchronizedList(new ArrayList<>());
      AtomicInteger calls = new AtomicInteger();
      long end = System.nanoTime() + RUN.toNanos();
      List<Thread> callers = new ArrayList<>();
      for (int t = 0; t < CALLERS; t++) {
        int caller = t;
        Thread th =
            new Thread(
                () -> {
                  for (int i = 0; System.nanoTime() < end; i++) {
                    // Every caller has a slow call now and then, to be in flight at a GOAWAY.
                    String request = i % 5 == 0 ? "sleep:150" : caller + "-" + i;
                    try {
                      String reply = GrpcJavaEcho.unary(channel, request, Duration.ofSeconds(5));
                      if (!reply.equals("echo:" + request)) {
                        failures.add("wrong reply " + reply);
                      }
                      calls.incrementAndGet();
                    } catch (RuntimeException e) {
                      failures.add(e.toString());
                    }
                  }
                },
                "age-caller-" + t);
        th.start();
        callers.add(th);
      }
      for (Thread th : callers) {
        th.join(RUN.toMillis() + 10_000);
      }
      System.out.println(
          "[age] "
              + calls.get()
              + " calls over "
              + connections.size()
              + " connections, failures: "
              + failures);
      assertTrue(failures.isEmpty(), "calls failed across max-age GOAWAYs: " + failures);
      // 2.5 s at ~0.6 s per connection: at least three connections (jitter and load allowing).
      assertTrue(connections.size() >= 3, "connections used: " + connections);
      assertTrue(calls.get() >= 50, "too few calls: " + calls.get());
    } finally {
      GrpcJavaEcho.close(channel);
      server.shutdownNow();
      server.awaitTermination(Duration.ofSeconds(5));
    }
  }
}
