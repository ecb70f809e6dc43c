package dev.strand.services.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.MethodDescriptor;
import dev.strand.MethodType;
import dev.strand.client.CallOptions;
import dev.strand.client.Channel;
import dev.strand.client.ManagedChannel;
import dev.strand.server.Server;
import dev.strand.server.ServiceDefinition;
import dev.strand.services.health.v1.HealthCheckResponse.ServingStatus;
import dev.strand.stub.ClientCalls;
import dev.strand.stub.ServerCalls;
import dev.strand.testing.Utf8Marshaller;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Client-side health checking (A17) by the service config's {@code healthCheckConfig}, over
 * round_robin: two Strand backends with Strand's health service, one grpc-java 1.85.1 backend with
 * its HealthStatusManager, one Strand backend with no health service at all. A backend reporting
 * NOT_SERVING leaves the rotation while its connection and Watch stay open, and comes back when
 * SERVING; the one without a health service (UNIMPLEMENTED) counts as healthy; pick_first does not
 * health-check.
 */
@Timeout(60)
class ClientHealthCheckingTest {
  private static final String[] IPS = {"127.0.0.13", "127.0.0.14", "127.0.0.15", "127.0.0.16"};
  private static final String SERVICE = "orders";
  private static final MethodDescriptor<String, String> WHO =
      MethodDescriptor.of(
          MethodType.UNARY,
          "strand.test.Who/Name",
          Utf8Marshaller.INSTANCE,
          Utf8Marshaller.INSTANCE);
  private static final String CONFIG =
      "{\"loadBalancingConfig\": [{\"%s\": {}}], \"healthCheckConfig\": {\"serviceName\": \""
          + SERVICE
          + "\"}}";

  private final List<Server> strandServers = new ArrayList<>();
  private final HealthService[] health = {new HealthService(), new HealthService()};
  private io.grpc.Server grpcJava;
  private io.grpc.protobuf.services.HealthStatusManager grpcJavaHealth;
  private final List<ManagedChannel> channels = new ArrayList<>();
  private int port;

  @AfterEach
  void stop() throws Exception {
    for (ManagedChannel c : channels) {
      c.shutdownNow();
      c.awaitTermination(Duration.ofSeconds(5));
    }
    for (Server s : strandServers) {
      s.shutdownNow();
      s.awaitTermination(Duration.ofSeconds(5));
    }
    if (grpcJava != null) {
      grpcJava.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static ServiceDefinition who(String name) {
    return ServiceDefinition.builder("strand.test.Who")
        .method(WHO, ServerCalls.unary(request -> name))
        .build();
  }

  /** The four backends on one port, each answering with its address. */
  private String serveAll() throws Exception {
    Server first =
        Server.builder().address(IPS[0], 0).service(who(IPS[0])).service(health[0]).start();
    strandServers.add(first);
    port = first.port();
    strandServers.add(
        Server.builder().address(IPS[1], port).service(who(IPS[1])).service(health[1]).start());
    grpcJavaHealth = new io.grpc.protobuf.services.HealthStatusManager();
    grpcJava =
        io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder.forAddress(
                new InetSocketAddress(IPS[2], port))
            .addService(grpcJavaWho(IPS[2]))
            .addService(grpcJavaHealth.getHealthService())
            .build()
            .start();
    strandServers.add(Server.builder().address(IPS[3], port).service(who(IPS[3])).start());
    health[0].setStatus(SERVICE, ServingStatus.SERVING);
    health[1].setStatus(SERVICE, ServingStatus.SERVING);
    grpcJavaHealth.setStatus(SERVICE, io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING);
    StringBuilder target = new StringBuilder("ipv4:");
    for (String ip : IPS) {
      target.append(target.length() > 5 ? "," : "").append(ip).append(':').append(port);
    }
    return target.toString();
  }

  private ManagedChannel channel(String target, String policy) {
    ManagedChannel channel =
        Channel.to(target).plaintext().defaultServiceConfig(String.format(CONFIG, policy)).build();
    channels.add(channel);
    return channel;
  }

  private static Map<String, Integer> calls(ManagedChannel channel, int n) throws Exception {
    Map<String, Integer> counts = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      String who =
          ClientCalls.blockingUnary(
              channel,
              WHO,
              CallOptions.DEFAULT.withWaitForReady().withTimeout(Duration.ofSeconds(10)),
              "who");
      counts.merge(who, 1, Integer::sum);
    }
    return counts;
  }

  /** Calls (bounded) until a round of 40 calls lands on exactly the expected backends. */
  private static Map<String, Integer> awaitServedBy(ManagedChannel channel, Set<String> expected)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    Map<String, Integer> seen = Map.of();
    while (System.nanoTime() < deadline) {
      seen = calls(channel, 40);
      if (seen.keySet().equals(expected)) {
        return seen;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("served by " + seen + ", wanted " + expected);
  }

  private static Set<String> all(Predicate<String> keep) {
    Set<String> ips = new java.util.TreeSet<>();
    for (String ip : IPS) {
      if (keep.test(ip)) {
        ips.add(ip);
      }
    }
    return ips;
  }

  @Test
  void unhealthyBackendsLeaveTheRotationAndComeBack() throws Exception {
    ManagedChannel channel = channel(serveAll(), "round_robin");
    awaitServedBy(channel, all(ip -> true)); // the one without a health service too

    health[0].setStatus(SERVICE, ServingStatus.NOT_SERVING);
    grpcJavaHealth.setStatus(
        SERVICE, io.grpc.health.v1.HealthCheckResponse.ServingStatus.NOT_SERVING);
    awaitServedBy(channel, all(ip -> !ip.equals(IPS[0]) && !ip.equals(IPS[2])));
    Map<String, Integer> counts = calls(channel, 300);
    assertEquals(Set.of(IPS[1], IPS[3]), counts.keySet(), "no call to the unhealthy: " + counts);
    assertEquals(1, health[0].watcherCount(), "its connection and Watch stay open");

    health[0].setStatus(SERVICE, ServingStatus.SERVING);
    grpcJavaHealth.setStatus(SERVICE, io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING);
    awaitServedBy(channel, all(ip -> true));
    counts = calls(channel, 400);
    for (int count : counts.values()) {
      assertTrue(count >= 90 && count <= 110, "even again: " + counts);
    }
  }

  @Test
  void pickFirstDoesNotHealthCheck() throws Exception {
    String target = serveAll();
    health[0].setStatus(SERVICE, ServingStatus.NOT_SERVING);
    ManagedChannel channel = channel(target, "pick_first");
    assertEquals(Map.of(IPS[0], 20), calls(channel, 20), "A17: pick_first ignores health");
    assertEquals(0, health[0].watcherCount());
  }

  private static io.grpc.ServerServiceDefinition grpcJavaWho(String name) {
    io.grpc.MethodDescriptor.Marshaller<String> utf8 =
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
    io.grpc.MethodDescriptor<String, String> method =
        io.grpc.MethodDescriptor.<String, String>newBuilder(utf8, utf8)
            .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(WHO.fullName())
            .build();
    io.grpc.ServerCallHandler<String, String> handler =
        io.grpc.stub.ServerCalls.asyncUnaryCall(
            (request, response) -> {
              response.onNext(name);
              response.onCompleted();
            });
    return io.grpc.ServerServiceDefinition.builder("strand.test.Who")
        .addMethod(method, handler)
        .build();
  }
}
