package dev.strand.e2e.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.client.CallOptions;
import dev.strand.client.ManagedChannel;
import dev.strand.server.ServiceDefinition;
import dev.strand.stub.ClientCalls;
import dev.strand.stub.ServerCalls;
import io.grpc.ServerServiceDefinition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SETTINGS_MAX_CONCURRENT_STREAMS: a Strand server advertises its limit (1000 by default), and a
 * Strand client that has more calls than a server allows queues them instead of failing them: 20
 * slow calls against a limit of 2 all succeed, never more than 2 at a time.
 */
@Timeout(60)
class ConcurrentStreamsTest {
  private static final int CALLS = 20;
  private static final int LIMIT = 2;
  private static final long SLOW_MS = 100;

  private final Peers peers = new Peers();
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger mostAtOnce = new AtomicInteger();

  @AfterEach
  void stop() throws Exception {
    peers.close();
  }

  /** Handler body: counts how many run at once, takes a while, echoes. */
  private byte[] slowly(byte[] request) throws InterruptedException {
    mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
    try {
      Thread.sleep(SLOW_MS);
      return request;
    } finally {
      running.decrementAndGet();
    }
  }

  private int strandServer(Integer limit) throws Exception {
    ServiceDefinition service =
        ServiceDefinition.builder(Probe.SERVICE)
            .method(Probe.UNARY, ServerCalls.unary(this::slowly))
            .build();
    var builder = Peers.strandServer().service(service);
    if (limit != null) {
      builder.maxConcurrentStreams(limit);
    }
    return peers.start(builder).port();
  }

  private int grpcServer(int limit) {
    ServerServiceDefinition service =
        ServerServiceDefinition.builder(Probe.SERVICE)
            .addMethod(
                Probe.G_UNARY,
                io.grpc.stub.ServerCalls.asyncUnaryCall(
                    (req, responses) -> {
                      try {
                        responses.onNext(slowly(req));
                        responses.onCompleted();
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                    }))
            .build();
    return peers
        .start(Peers.grpcServer().maxConcurrentCallsPerConnection(limit).addService(service))
        .getPort();
  }

  private void allSucceedFromStrand(int port, boolean connectFirst) throws Exception {
    WireTap tap = peers.add(WireTap.to(port));
    // As on any real network, the server's first SETTINGS (and its limit) takes a while to come.
    tap.delayFrames(
        f ->
            f.direction() == WireTap.Direction.TO_CLIENT
                && f.type() == WireTap.SETTINGS
                && (f.flags() & 1) == 0,
        200);
    ManagedChannel channel = peers.strandChannelTo(tap.port());
    if (connectFirst) {
      ClientCalls.blockingUnary(
          channel,
          Probe.UNARY,
          CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(10)),
          Probe.ask(0));
    }
    List<CompletableFuture<byte[]>> calls = new ArrayList<>();
    for (int i = 0; i < CALLS; i++) {
      calls.add(
          ClientCalls.futureUnary(
              channel,
              Probe.UNARY,
              CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(30)),
              Probe.ask(i)));
    }
    for (int i = 0; i < CALLS; i++) {
      assertEquals(i, Probe.asked(calls.get(i).get(30, TimeUnit.SECONDS)));
    }
    assertTrue(mostAtOnce.get() <= LIMIT, mostAtOnce.get() + " ran at once; the limit is " + LIMIT);
  }

  @Test
  void strandServerAdvertisesItsLimit() throws Exception {
    for (Integer limit : new Integer[] {null, LIMIT}) {
      WireTap tap = peers.add(WireTap.to(strandServer(limit)));
      io.grpc.stub.ClientCalls.blockingUnaryCall(
          peers.grpcChannelTo(tap.port()),
          Probe.G_UNARY,
          io.grpc.CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
          Probe.ask(1));
      Long advertised =
          tap.frames(WireTap.Direction.TO_CLIENT, WireTap.SETTINGS)
              .get(0)
              .settings()
              .get(WireTap.SETTINGS_MAX_CONCURRENT_STREAMS);
      assertEquals(limit == null ? 1000L : (long) limit, advertised);
    }
  }

  @Test
  void strandClientQueuesCallsBeyondAGrpcJavaServersLimit() throws Exception {
    allSucceedFromStrand(grpcServer(LIMIT), true);
  }

  @Test
  void strandClientQueuesCallsBeyondAStrandServersLimit() throws Exception {
    allSucceedFromStrand(strandServer(LIMIT), true);
  }

  /**
   * The same burst on a connection still being made: the client must learn the server's limit (its
   * first SETTINGS, 200 ms away here) before it opens streams, or the streams over the limit are
   * refused and the connection is torn down.
   */
  @Test
  void strandClientQueuesABurstOnAFreshConnectionToGrpcJava() throws Exception {
    allSucceedFromStrand(grpcServer(LIMIT), false);
  }

  @Test
  void strandClientQueuesABurstOnAFreshConnectionToStrand() throws Exception {
    allSucceedFromStrand(strandServer(LIMIT), false);
  }

  @Test
  void grpcJavaClientQueuesCallsBeyondAStrandServersLimit() throws Exception {
    var channel = peers.grpcChannelTo(strandServer(LIMIT));
    List<com.google.common.util.concurrent.ListenableFuture<byte[]>> calls = new ArrayList<>();
    for (int i = 0; i < CALLS; i++) {
      calls.add(
          io.grpc.stub.ClientCalls.futureUnaryCall(
              channel.newCall(
                  Probe.G_UNARY,
                  io.grpc.CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS)),
              Probe.ask(i)));
    }
    for (int i = 0; i < CALLS; i++) {
      assertEquals(i, Probe.asked(calls.get(i).get(30, TimeUnit.SECONDS)));
    }
    assertTrue(mostAtOnce.get() <= LIMIT, mostAtOnce.get() + " ran at once; the limit is " + LIMIT);
  }
}
