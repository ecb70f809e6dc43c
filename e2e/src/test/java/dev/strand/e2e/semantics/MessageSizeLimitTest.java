package dev.strand.e2e.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.strand.Status;
import dev.strand.StatusException;
import dev.strand.client.CallOptions;
import dev.strand.client.ManagedChannel;
import dev.strand.server.ServiceDefinition;
import dev.strand.stub.ClientCalls;
import dev.strand.stub.ServerCalls;
import io.grpc.ServerServiceDefinition;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The largest message a peer accepts: 4 MiB by default, set per server, per channel and per call. A
 * message of exactly the limit passes; one byte more is RESOURCE_EXHAUSTED, and the description
 * names both sizes. Only that call fails.
 */
@Timeout(60)
class MessageSizeLimitTest {
  private static final int FOUR_MIB = 4 * 1024 * 1024;

  private final Peers peers = new Peers();

  @AfterEach
  void stop() throws Exception {
    peers.close();
  }

  private static String tooBig(int size, int limit) {
    return "message of " + size + " bytes is larger than the limit of " + limit + " bytes";
  }

  /** A Strand server that answers with the size of the request. */
  private int strandSizer(Integer limit) throws Exception {
    ServiceDefinition service =
        ServiceDefinition.builder(Probe.SERVICE)
            .method(Probe.UNARY, ServerCalls.unary(req -> Probe.ask(req.length)))
            .build();
    var builder = Peers.strandServer().service(service);
    if (limit != null) {
      builder.maxInboundMessageSize(limit);
    }
    return peers.start(builder).port();
  }

  private static int grpcSend(io.grpc.Channel channel, int size) {
    return Probe.asked(
        io.grpc.stub.ClientCalls.blockingUnaryCall(
            channel,
            Probe.G_UNARY,
            io.grpc.CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS),
            new byte[size]));
  }

  private static void expectTooBig(StatusRuntimeException e, int size, int limit) {
    assertEquals(io.grpc.Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode(), e::toString);
    assertEquals(tooBig(size, limit), e.getStatus().getDescription());
  }

  @Test
  void strandServerTakesFourMibByDefaultAndNotAByteMore() throws Exception {
    var channel = peers.grpcChannelTo(strandSizer(null));
    assertEquals(FOUR_MIB, grpcSend(channel, FOUR_MIB));
    expectTooBig(
        assertThrows(StatusRuntimeException.class, () -> grpcSend(channel, FOUR_MIB + 1)),
        FOUR_MIB + 1,
        FOUR_MIB);
    assertEquals(10, grpcSend(channel, 10));
  }

  @Test
  void strandServerLimitCanBeSet() throws Exception {
    var channel = peers.grpcChannelTo(strandSizer(1024));
    assertEquals(1024, grpcSend(channel, 1024));
    expectTooBig(
        assertThrows(StatusRuntimeException.class, () -> grpcSend(channel, 1025)), 1025, 1024);
  }

  @Test
  void strandServerLimitAppliesToStrandClientsToo() throws Exception {
    ManagedChannel channel = peers.strandChannelTo(strandSizer(1024));
    StatusException e =
        assertThrows(
            StatusException.class,
            () ->
                ClientCalls.blockingUnary(
                    channel, Probe.UNARY, CallOptions.DEFAULT, new byte[1025]));
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.code());
    assertEquals(tooBig(1025, 1024), e.status().description());
  }

  /** A grpc-java server that answers with as many bytes as the request asks for. */
  private int grpcFiller() {
    ServerServiceDefinition service =
        ServerServiceDefinition.builder(Probe.SERVICE)
            .addMethod(
                Probe.G_UNARY,
                io.grpc.stub.ServerCalls.asyncUnaryCall(
                    (req, responses) -> {
                      responses.onNext(new byte[Probe.asked(req)]);
                      responses.onCompleted();
                    }))
            .build();
    return peers.grpcServerWith(service).getPort();
  }

  private static int fetch(ManagedChannel channel, CallOptions options, int size) {
    return ClientCalls.blockingUnary(
            channel, Probe.UNARY, options.withTimeout(Duration.ofSeconds(20)), Probe.ask(size))
        .length;
  }

  private static void expectTooBig(
      ManagedChannel channel, CallOptions options, int size, int limit) {
    StatusException e = assertThrows(StatusException.class, () -> fetch(channel, options, size));
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.code(), e::toString);
    assertEquals(tooBig(size, limit), e.status().description());
  }

  @Test
  void strandChannelTakesFourMibByDefaultAndNotAByteMore() throws Exception {
    ManagedChannel channel = peers.strandChannelTo(grpcFiller());
    assertEquals(FOUR_MIB, fetch(channel, CallOptions.DEFAULT, FOUR_MIB));
    expectTooBig(channel, CallOptions.DEFAULT, FOUR_MIB + 1, FOUR_MIB);
    assertEquals(10, fetch(channel, CallOptions.DEFAULT, 10));
  }

  @Test
  void channelLimitAndCallLimit() throws Exception {
    ManagedChannel channel =
        peers.start(Peers.strandChannel(grpcFiller()).maxInboundMessageSize(1024));
    expectTooBig(channel, CallOptions.DEFAULT, 2048, 1024);
    // A call may allow more than its channel...
    assertEquals(2048, fetch(channel, CallOptions.DEFAULT.withMaxInboundMessageSize(4096), 2048));
    // ...or less.
    expectTooBig(channel, CallOptions.DEFAULT.withMaxInboundMessageSize(512), 1000, 512);
    assertEquals(1000, fetch(channel, CallOptions.DEFAULT, 1000));
  }

  @Test
  void grpcJavaServerLimitRefusesABigStrandRequest() throws Exception {
    ServerServiceDefinition sizer =
        ServerServiceDefinition.builder(Probe.SERVICE)
            .addMethod(
                Probe.G_UNARY,
                io.grpc.stub.ServerCalls.asyncUnaryCall(
                    (req, responses) -> {
                      responses.onNext(Probe.ask(req.length));
                      responses.onCompleted();
                    }))
            .build();
    ManagedChannel channel = peers.strandChannelTo(peers.grpcServerWith(sizer).getPort());
    StatusException e =
        assertThrows(
            StatusException.class,
            () ->
                ClientCalls.blockingUnary(
                    channel,
                    Probe.UNARY,
                    CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(20)),
                    new byte[FOUR_MIB + 1]));
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.code(), e::toString);
    assertEquals(
        10,
        Probe.asked(
            ClientCalls.blockingUnary(
                channel,
                Probe.UNARY,
                CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(20)),
                new byte[10])));
  }
}
