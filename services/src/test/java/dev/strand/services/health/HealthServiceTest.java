package dev.strand.services.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.client.CallOptions;
import dev.strand.client.ManagedChannel;
import dev.strand.server.Server;
import dev.strand.services.Peers;
import dev.strand.services.health.v1.Health;
import dev.strand.services.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** grpc.health.v1 on a Strand server, asked by grpc-java's own HealthGrpc client. */
@Timeout(60)
class HealthServiceTest {
  HealthService health;
  Server server;
  io.grpc.ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    health = new HealthService();
    server = Peers.strandServer().service(health).start();
    channel = Peers.grpcJavaChannel(server.port());
  }

  @AfterEach
  void stop() throws Exception {
    Peers.close(channel);
    Peers.close(server);
  }

  ServingStatus check(String service) {
    var response =
        HealthGrpc.newBlockingStub(channel)
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .check(HealthCheckRequest.newBuilder().setService(service).build());
    return ServingStatus.forNumber(response.getStatusValue());
  }

  @Test
  void wholeServerIsServingFromTheStart() {
    assertEquals(ServingStatus.SERVING, check(""));
  }

  @Test
  void checkAnswersEachServiceAsReported() {
    health.setStatus("helloworld.Greeter", ServingStatus.NOT_SERVING);
    assertEquals(ServingStatus.NOT_SERVING, check("helloworld.Greeter"));
    health.setStatus("helloworld.Greeter", ServingStatus.SERVING);
    assertEquals(ServingStatus.SERVING, check("helloworld.Greeter"));
    assertEquals(ServingStatus.SERVING, check(""), "other services are not affected");
  }

  @Test
  void checkOfUnknownServiceIsNotFound() {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> check("nope"));
    assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());

    health.setStatus("gone", ServingStatus.SERVING);
    health.clearStatus("gone");
    e = assertThrows(StatusRuntimeException.class, () -> check("gone"));
    assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode(), "cleared means unknown again");
  }

  @Test
  void watchSendsTheCurrentStatusThenEachChange() throws Exception {
    HealthWatch watch = HealthWatch.start(channel, "routeguide.RouteGuide");
    assertEquals(ServingStatus.SERVICE_UNKNOWN, watch.next(), "unknown, and the stream stays");

    health.setStatus("routeguide.RouteGuide", ServingStatus.SERVING);
    assertEquals(ServingStatus.SERVING, watch.next());
    // The same status again is no change: the next message is the next real change.
    health.setStatus("routeguide.RouteGuide", ServingStatus.SERVING);
    health.setStatus("other.Service", ServingStatus.NOT_SERVING);
    health.setStatus("routeguide.RouteGuide", ServingStatus.NOT_SERVING);
    assertEquals(ServingStatus.NOT_SERVING, watch.next());
    health.clearStatus("routeguide.RouteGuide");
    assertEquals(ServingStatus.SERVICE_UNKNOWN, watch.next());
    watch.cancel();
  }

  @Test
  void cancelledWatchEndsCleanlyAndIsForgotten() throws Exception {
    HealthWatch watch = HealthWatch.start(channel, "");
    assertEquals(ServingStatus.SERVING, watch.next());
    assertEquals(1, health.watcherCount());

    watch.cancel();
    assertEquals(Status.Code.CANCELLED, watch.end().getCode());
    awaitWatchers(0);
    health.setStatus("", ServingStatus.NOT_SERVING); // nobody left to tell: must not throw
    assertEquals(ServingStatus.NOT_SERVING, check(""), "the server still answers");
  }

  @Test
  void shutdownTurnsEverythingNotServingForWatchersAndLetsTheServerDrain() throws Exception {
    health.setStatus("routeguide.RouteGuide", ServingStatus.SERVING);
    HealthWatch whole = HealthWatch.start(channel, "");
    HealthWatch one = HealthWatch.start(channel, "routeguide.RouteGuide");
    assertEquals(ServingStatus.SERVING, whole.next());
    assertEquals(ServingStatus.SERVING, one.next());

    server.shutdown();

    assertEquals(ServingStatus.NOT_SERVING, whole.next());
    assertEquals(ServingStatus.NOT_SERVING, one.next());
    assertEquals(Status.Code.UNAVAILABLE, whole.end().getCode());
    assertEquals(Status.Code.UNAVAILABLE, one.end().getCode());
    // No Watch stream is left to hold up the graceful shutdown.
    assertTrue(server.awaitTermination(Duration.ofSeconds(5)), "server drained");

    assertEquals(ServingStatus.NOT_SERVING, health.status("routeguide.RouteGuide"));
    health.setStatus("routeguide.RouteGuide", ServingStatus.SERVING);
    assertEquals(
        ServingStatus.NOT_SERVING,
        health.status("routeguide.RouteGuide"),
        "a server on its way out stays NOT_SERVING");
  }

  @Test
  void strandsOwnGeneratedClientWorksToo() {
    try (ManagedChannel strand = Peers.strandChannel(server.port())) {
      var client =
          Health.client(strand).withOptions(CallOptions.DEFAULT.withTimeout(Peers.CALL_TIMEOUT));
      var response =
          client.check(dev.strand.services.health.v1.HealthCheckRequest.getDefaultInstance());
      assertEquals(ServingStatus.SERVING, response.getStatus());
    }
  }

  @Test
  void onlyServingNotServingAndUnknownCanBeReported() {
    assertThrows(
        IllegalArgumentException.class, () -> health.setStatus("x", ServingStatus.SERVICE_UNKNOWN));
    assertThrows(
        IllegalArgumentException.class, () -> health.setStatus("x", ServingStatus.UNRECOGNIZED));
    assertThrows(IllegalArgumentException.class, () -> health.setStatus("x", null));
  }

  private void awaitWatchers(int count) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (health.watcherCount() != count && System.nanoTime() < end) {
      Thread.sleep(10);
    }
    assertEquals(count, health.watcherCount());
  }
}
