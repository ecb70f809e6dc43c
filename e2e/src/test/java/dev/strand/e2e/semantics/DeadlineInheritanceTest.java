package dev.strand.e2e.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.Status;
import dev.strand.StatusException;
import dev.strand.client.CallOptions;
import dev.strand.client.Channel;
import dev.strand.client.ManagedChannel;
import dev.strand.server.ServiceDefinition;
import dev.strand.stub.ClientCalls;
import dev.strand.stub.ServerCalls;
import dev.strand.stub.ServerContext;
import io.grpc.Context;
import io.grpc.ServerServiceDefinition;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A call made while serving another inherits the smaller deadline and the cancellation of the call
 * being served, across implementations both ways: a Strand handler calling grpc-java (via Strand's
 * ClientCalls, which read ServerContext), and a grpc-java handler calling Strand (via
 * io.grpc.Context propagation). Leaves answer "remaining" with the ms they have left, and "hang" by
 * waiting to be cancelled.
 */
@Timeout(30)
class DeadlineInheritanceTest {
  private final Peers peers = new Peers();
  private final CountDownLatch leafStarted = new CountDownLatch(1);
  private final CountDownLatch leafCancelled = new CountDownLatch(1);
  private final CompletableFuture<StatusException> relayInnerFailed = new CompletableFuture<>();
  private int grpcLeafPort;
  private int strandLeafPort;

  /** What the Strand relay calls with, and how: tests change these before calling. */
  private volatile Channel relayTarget;

  private volatile CallOptions relayOptions =
      CallOptions.DEFAULT.withTimeout(Duration.ofMinutes(5));

  @BeforeEach
  void start() throws Exception {
    ServerServiceDefinition grpcLeaf =
        ServerServiceDefinition.builder(Probe.SERVICE)
            .addMethod(
                Probe.G_UNARY,
                io.grpc.stub.ServerCalls.asyncUnaryCall(
                    (req, responses) -> {
                      if (Probe.text(req).equals("hang")) {
                        leafStarted.countDown();
                        Context.current()
                            .addListener(c -> leafCancelled.countDown(), Runnable::run);
                        return;
                      }
                      io.grpc.Deadline d = Context.current().getDeadline();
                      responses.onNext(
                          Probe.ask(d == null ? -1 : (int) d.timeRemaining(TimeUnit.MILLISECONDS)));
                      responses.onCompleted();
                    }))
            .build();
    grpcLeafPort = peers.grpcServerWith(grpcLeaf).getPort();

    ServiceDefinition strandLeaf =
        ServiceDefinition.builder(Probe.SERVICE)
            .method(
                Probe.UNARY,
                ServerCalls.unary(
                    req -> {
                      ServerContext ctx = ServerContext.current();
                      if (Probe.text(req).equals("hang")) {
                        leafStarted.countDown();
                        ctx.onCancel(leafCancelled::countDown);
                        leafCancelled.await(10, TimeUnit.SECONDS);
                        return req;
                      }
                      return Probe.ask(
                          ctx.deadline() == null
                              ? -1
                              : (int) ctx.deadline().remaining().toMillis());
                    }))
            .build();
    strandLeafPort = peers.start(Peers.strandServer().service(strandLeaf)).port();
  }

  @AfterEach
  void stop() throws Exception {
    peers.close();
  }

  /** A Strand server whose handler makes the same call onward, with {@link #relayOptions}. */
  private int strandRelay() throws Exception {
    ServiceDefinition relay =
        ServiceDefinition.builder(Probe.SERVICE)
            .method(
                Probe.UNARY,
                ServerCalls.unary(
                    req -> {
                      try {
                        return ClientCalls.blockingUnary(
                            relayTarget, Probe.UNARY, relayOptions, req);
                      } catch (StatusException e) {
                        relayInnerFailed.complete(e);
                        throw e;
                      }
                    }))
            .build();
    return peers.start(Peers.strandServer().service(relay)).port();
  }

  /** A grpc-java server whose handler calls the Strand leaf with a 5-minute deadline of its own. */
  private int grpcRelay() {
    io.grpc.ManagedChannel toStrand = peers.grpcChannelTo(strandLeafPort);
    ServerServiceDefinition relay =
        ServerServiceDefinition.builder(Probe.SERVICE)
            .addMethod(
                Probe.G_UNARY,
                io.grpc.stub.ServerCalls.asyncUnaryCall(
                    (req, responses) -> {
                      try {
                        // Context.current() is the served call's: grpc-java applies its deadline
                        // and
                        // cancellation to this call by itself.
                        responses.onNext(
                            io.grpc.stub.ClientCalls.blockingUnaryCall(
                                toStrand,
                                Probe.G_UNARY,
                                io.grpc.CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.MINUTES),
                                req));
                        responses.onCompleted();
                      } catch (StatusRuntimeException e) {
                        responses.onError(e);
                      }
                    }))
            .build();
    return peers.grpcServerWith(relay).getPort();
  }

  // ---- a Strand handler calling grpc-java ----

  @Test
  void strandHandlerPassesItsSmallerDeadlineToGrpcJava() throws Exception {
    relayTarget = peers.strandChannelTo(grpcLeafPort);
    var client = peers.grpcChannelTo(strandRelay());
    byte[] left =
        io.grpc.stub.ClientCalls.blockingUnaryCall(
            client,
            Probe.G_UNARY,
            io.grpc.CallOptions.DEFAULT.withDeadlineAfter(1, TimeUnit.SECONDS),
            Probe.text("remaining"));
    int ms = Probe.asked(left);
    assertTrue(ms > 0 && ms <= 1000, "grpc-java leaf had " + ms + " ms; the served call had 1000");
  }

  @Test
  void strandHandlerKeepsItsOwnDeadlineWhenThatIsSmaller() throws Exception {
    relayTarget = peers.strandChannelTo(grpcLeafPort);
    relayOptions = CallOptions.DEFAULT.withTimeout(Duration.ofMillis(800));
    var client = peers.grpcChannelTo(strandRelay());
    int ms =
        Probe.asked(
            io.grpc.stub.ClientCalls.blockingUnaryCall(
                client,
                Probe.G_UNARY,
                io.grpc.CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS),
                Probe.text("remaining")));
    assertTrue(ms > 0 && ms <= 800, "grpc-java leaf had " + ms + " ms; the relay asked for 800");
  }

  @Test
  void nestedCallKeepsTheChannelDefaultTimeoutWhenThatIsSmaller() throws Exception {
    // A channel default is the deadline of calls that set none: it must not be lost because
    // the served call's (larger) deadline was filled in first.
    relayTarget =
        peers.start(Peers.strandChannel(grpcLeafPort).defaultTimeout(Duration.ofMillis(800)));
    relayOptions = CallOptions.DEFAULT;
    var client = peers.grpcChannelTo(strandRelay());
    int ms =
        Probe.asked(
            io.grpc.stub.ClientCalls.blockingUnaryCall(
                client,
                Probe.G_UNARY,
                io.grpc.CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS),
                Probe.text("remaining")));
    assertTrue(
        ms > 0 && ms <= 800,
        "grpc-java leaf had "
            + ms
            + " ms; the relay's channel default is 800 ms and the served call had 20 s");
  }

  @Test
  void cancellingTheServedCallCancelsItsCallToGrpcJava() throws Exception {
    relayTarget = peers.strandChannelTo(grpcLeafPort);
    var client = peers.grpcChannelTo(strandRelay());
    var call = client.newCall(Probe.G_UNARY, io.grpc.CallOptions.DEFAULT);
    call.start(new io.grpc.ClientCall.Listener<>() {}, new io.grpc.Metadata());
    call.sendMessage(Probe.text("hang"));
    call.halfClose();
    assertTrue(leafStarted.await(5, TimeUnit.SECONDS), "the nested call never reached grpc-java");
    call.cancel("the user gave up", null);
    assertTrue(leafCancelled.await(5, TimeUnit.SECONDS), "grpc-java leaf was not cancelled");
    assertEquals(Status.Code.CANCELLED, relayInnerFailed.get(5, TimeUnit.SECONDS).code());
  }

  @Test
  void theInheritedDeadlineEndsTheNestedCallOnTime() throws Exception {
    relayTarget = peers.strandChannelTo(grpcLeafPort);
    var client = peers.grpcChannelTo(strandRelay());
    // Both hops connected first: a cold JVM's first connections can eat a 500 ms deadline.
    io.grpc.stub.ClientCalls.blockingUnaryCall(
        client,
        Probe.G_UNARY,
        io.grpc.CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
        Probe.text("warm"));
    long start = System.nanoTime();
    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                io.grpc.stub.ClientCalls.blockingUnaryCall(
                    client,
                    Probe.G_UNARY,
                    io.grpc.CallOptions.DEFAULT.withDeadlineAfter(500, TimeUnit.MILLISECONDS),
                    Probe.text("hang")));
    assertEquals(io.grpc.Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode());
    assertTrue(leafStarted.await(3, TimeUnit.SECONDS), "the nested call never reached grpc-java");
    assertTrue(leafCancelled.await(3, TimeUnit.SECONDS), "grpc-java leaf outlived the deadline");
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(ms < 3000, "took " + ms + " ms");
    StatusException inner = relayInnerFailed.get(5, TimeUnit.SECONDS);
    // Strand's own timer and the served call's cancellation race to end the nested call.
    assertTrue(
        inner.code() == Status.Code.DEADLINE_EXCEEDED || inner.code() == Status.Code.CANCELLED,
        inner.toString());
  }

  // ---- a grpc-java handler calling Strand ----

  @Test
  void grpcJavaHandlerPassesItsSmallerDeadlineToStrand() throws Exception {
    ManagedChannel client = peers.strandChannelTo(grpcRelay());
    int ms =
        Probe.asked(
            ClientCalls.blockingUnary(
                client,
                Probe.UNARY,
                CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(1)),
                Probe.text("remaining")));
    assertTrue(ms > 0 && ms <= 1000, "Strand leaf had " + ms + " ms; the served call had 1000");
  }

  @Test
  void cancellingTheServedCallCancelsGrpcJavasCallToStrand() throws Exception {
    ManagedChannel client = peers.strandChannelTo(grpcRelay());
    CompletableFuture<byte[]> outer =
        ClientCalls.futureUnary(client, Probe.UNARY, CallOptions.DEFAULT, Probe.text("hang"));
    assertTrue(leafStarted.await(5, TimeUnit.SECONDS), "the nested call never reached Strand");
    outer.cancel(true);
    assertTrue(leafCancelled.await(5, TimeUnit.SECONDS), "Strand leaf was not cancelled");
  }

  @Test
  void grpcJavasInheritedDeadlineEndsTheStrandLeafOnTime() throws Exception {
    ManagedChannel client = peers.strandChannelTo(grpcRelay());
    ClientCalls.blockingUnary(
        client,
        Probe.UNARY,
        CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(10)),
        Probe.text("warm"));
    StatusException e =
        assertThrows(
            StatusException.class,
            () ->
                ClientCalls.blockingUnary(
                    client,
                    Probe.UNARY,
                    CallOptions.DEFAULT.withTimeout(Duration.ofMillis(500)),
                    Probe.text("hang")));
    assertEquals(Status.Code.DEADLINE_EXCEEDED, e.code());
    assertTrue(leafCancelled.await(3, TimeUnit.SECONDS), "Strand leaf outlived the deadline");
  }

  // ---- Strand all the way ----

  @Test
  void strandToStrandToStrandCarriesDeadlineAndCancellation() throws Exception {
    relayTarget = peers.strandChannelTo(strandLeafPort);
    ManagedChannel client = peers.strandChannelTo(strandRelay());
    int ms =
        Probe.asked(
            ClientCalls.blockingUnary(
                client,
                Probe.UNARY,
                CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(1)),
                Probe.text("remaining")));
    assertTrue(ms > 0 && ms <= 1000, "Strand leaf had " + ms + " ms");

    CompletableFuture<byte[]> outer =
        ClientCalls.futureUnary(client, Probe.UNARY, CallOptions.DEFAULT, Probe.text("hang"));
    assertTrue(leafStarted.await(5, TimeUnit.SECONDS));
    outer.cancel(true);
    assertTrue(leafCancelled.await(5, TimeUnit.SECONDS), "Strand leaf was not cancelled");
  }
}
