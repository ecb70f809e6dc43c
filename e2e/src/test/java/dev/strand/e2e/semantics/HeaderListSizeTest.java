package dev.strand.e2e.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.Metadata;
import dev.strand.Status;
import dev.strand.StatusException;
import dev.strand.client.CallOptions;
import dev.strand.client.ClientCall;
import dev.strand.client.ManagedChannel;
import dev.strand.server.ServiceDefinition;
import dev.strand.stub.ClientCalls;
import dev.strand.stub.ServerCalls;
import dev.strand.stub.ServerContext;
import io.grpc.ServerServiceDefinition;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The header list limit (HTTP/2 SETTINGS_MAX_HEADER_LIST_SIZE, 8 KiB by default on both sides): a
 * Strand server advertises it, and metadata over a peer's limit fails that one call while the
 * connection carries on; raising the limit lets the same metadata through.
 */
@Timeout(30)
class HeaderListSizeTest {
  private static final String BIG_VALUE = "v".repeat(12 * 1024);
  private static final String SMALL_VALUE = "v".repeat(2 * 1024);

  private final Peers peers = new Peers();

  @AfterEach
  void stop() throws Exception {
    peers.close();
  }

  /** A Strand server that answers with the length of its "x-big" request header. */
  private int strandServer(Integer maxHeaderListSize) throws Exception {
    ServiceDefinition service =
        ServiceDefinition.builder(Probe.SERVICE)
            .method(
                Probe.UNARY,
                ServerCalls.unary(
                    req -> {
                      String big = ServerContext.current().requestHeaders().get("x-big");
                      return Probe.ask(big == null ? 0 : big.length());
                    }))
            .build();
    var builder = Peers.strandServer().service(service);
    if (maxHeaderListSize != null) {
      builder.maxHeaderListSize(maxHeaderListSize);
    }
    return peers.start(builder).port();
  }

  private static io.grpc.Metadata grpcHeaders(String value) {
    io.grpc.Metadata md = new io.grpc.Metadata();
    md.put(io.grpc.Metadata.Key.of("x-big", io.grpc.Metadata.ASCII_STRING_MARSHALLER), value);
    return md;
  }

  private static byte[] grpcCall(io.grpc.Channel channel, String value) {
    return io.grpc.stub.ClientCalls.blockingUnaryCall(
        io.grpc.ClientInterceptors.intercept(
            channel, io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(grpcHeaders(value))),
        Probe.G_UNARY,
        io.grpc.CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
        Probe.text("x"));
  }

  @Test
  void strandServerAdvertisesItsLimits() throws Exception {
    for (int limit : new int[] {8192, 16384}) {
      WireTap tap = peers.add(WireTap.to(strandServer(limit == 8192 ? null : limit)));
      var channel = peers.grpcChannelTo(tap.port());
      grpcCall(channel, "small");
      Map<Integer, Long> settings =
          tap.frames(WireTap.Direction.TO_CLIENT, WireTap.SETTINGS).get(0).settings();
      assertEquals(
          (long) limit, settings.get(WireTap.SETTINGS_MAX_HEADER_LIST_SIZE), settings::toString);
    }
  }

  @Test
  void grpcJavaMetadataOverStrandsDefaultLimitFailsOnlyThatCall() throws Exception {
    var channel = peers.grpcChannelTo(strandServer(null));
    assertEquals(SMALL_VALUE.length(), Probe.asked(grpcCall(channel, SMALL_VALUE)));
    StatusRuntimeException e =
        assertThrows(StatusRuntimeException.class, () -> grpcCall(channel, BIG_VALUE));
    // grpc-java read Strand's SETTINGS and refuses, locally, to send it.
    assertEquals(io.grpc.Status.Code.INTERNAL, e.getStatus().getCode(), e::toString);
    assertTrue(String.valueOf(e.getStatus().getCause()).contains("8192"), e::toString);
    assertEquals(SMALL_VALUE.length(), Probe.asked(grpcCall(channel, SMALL_VALUE)));
  }

  @Test
  void aStrandServerWithARaisedLimitTakesBigMetadata() throws Exception {
    var channel = peers.grpcChannelTo(strandServer(32 * 1024));
    assertEquals(BIG_VALUE.length(), Probe.asked(grpcCall(channel, BIG_VALUE)));
  }

  /** A grpc-java server that answers with response headers as big as the request asks. */
  private int grpcServerWithBigHeaders() {
    ServerServiceDefinition service =
        ServerServiceDefinition.builder(Probe.SERVICE)
            .addMethod(
                Probe.G_UNARY,
                new io.grpc.ServerCallHandler<byte[], byte[]>() {
                  @Override
                  public io.grpc.ServerCall.Listener<byte[]> startCall(
                      io.grpc.ServerCall<byte[], byte[]> call, io.grpc.Metadata headers) {
                    call.request(1);
                    return new io.grpc.ServerCall.Listener<>() {
                      @Override
                      public void onMessage(byte[] message) {
                        call.sendHeaders(grpcHeaders("v".repeat(Probe.asked(message))));
                        call.sendMessage(message);
                        call.close(io.grpc.Status.OK, new io.grpc.Metadata());
                      }
                    };
                  }
                })
            .build();
    return peers.grpcServerWith(service).getPort();
  }

  @Test
  void aStrandChannelWithARaisedLimitTakesBigResponseHeaders() throws Exception {
    ManagedChannel channel =
        peers.start(Peers.strandChannel(grpcServerWithBigHeaders()).maxHeaderListSize(32 * 1024));
    CompletableFuture<Metadata> headers = new CompletableFuture<>();
    ClientCall<byte[], byte[]> call =
        channel.newCall(Probe.UNARY, CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(10)));
    CompletableFuture<Status> closed = new CompletableFuture<>();
    call.start(
        new ClientCall.Listener<>() {
          @Override
          public void onHeaders(Metadata h) {
            headers.complete(h);
          }

          @Override
          public void onClose(Status status, Metadata trailers) {
            closed.complete(status);
          }
        },
        new Metadata());
    call.request(1);
    call.sendMessage(Probe.ask(BIG_VALUE.length()));
    call.halfClose();
    assertEquals(Status.Code.OK, closed.get(10, TimeUnit.SECONDS).code());
    assertEquals(BIG_VALUE, headers.get(1, TimeUnit.SECONDS).get("x-big"));
  }

  @Test
  void strandMetadataOverGrpcJavasLimitFailsOnlyThatCallAndSaysWhy() throws Exception {
    Events events = new Events();
    WireTap tap = peers.add(WireTap.to(peers.grpcServerWith(Blockers.grpc(events)).getPort()));
    ManagedChannel channel = peers.strandChannelTo(tap.port());
    assertEquals("echo", Probe.text(callWith(channel, SMALL_VALUE, "echo")));
    CompletableFuture<byte[]> inFlight =
        ClientCalls.futureUnary(channel, Probe.UNARY, CallOptions.DEFAULT, Probe.text("hang"));
    events.await("grpc:started", 5000);

    // grpc-java said 8192 in its SETTINGS: the call fails here, before anything is sent.
    StatusException e =
        assertThrows(StatusException.class, () -> callWith(channel, BIG_VALUE, "echo"));
    assertEquals("echo", Probe.text(callWith(channel, SMALL_VALUE, "echo")));
    assertEquals(false, inFlight.isDone(), "a call in flight on the connection was hurt");
    assertEquals(
        1,
        tap.frames(WireTap.Direction.TO_SERVER, WireTap.SETTINGS).stream()
            .filter(f -> (f.flags() & 1) == 0)
            .count(),
        "the connection was replaced");
    // Retrying cannot help, and the connection did not close: not UNAVAILABLE.
    assertTrue(
        e.code() == Status.Code.INTERNAL || e.code() == Status.Code.RESOURCE_EXHAUSTED,
        e.toString());
    assertTrue(String.valueOf(e.status().description()).contains("8192"), e.toString());
  }

  /**
   * The client said 8192 in its SETTINGS; a handler adds 12 KiB of response metadata. Netty's
   * encoder enforces a peer's header list limit only on clients, so a server must check itself:
   * fail that one call here rather than send what the client already said it will not take (a
   * grpc-java client answers with GOAWAY, failing every call on the connection).
   */
  @Test
  void strandResponseMetadataOverGrpcJavasLimitFailsOnlyThatCall() throws Exception {
    ServiceDefinition service =
        ServiceDefinition.builder(Probe.SERVICE)
            .method(
                Probe.UNARY,
                ServerCalls.unary(
                    req -> {
                      if (Probe.text(req).equals("hang")) {
                        java.util.concurrent.CountDownLatch cancelled =
                            new java.util.concurrent.CountDownLatch(1);
                        ServerContext.current().onCancel(cancelled::countDown);
                        cancelled.await(20, TimeUnit.SECONDS);
                        return req;
                      }
                      ServerContext.current()
                          .responseHeaders()
                          .add("x-big", "v".repeat(Probe.asked(req)));
                      return req;
                    }))
            .build();
    WireTap tap = peers.add(WireTap.to(peers.start(Peers.strandServer().service(service)).port()));
    var channel = peers.grpcChannelTo(tap.port());
    io.grpc.CallOptions options =
        io.grpc.CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS);
    io.grpc.stub.ClientCalls.blockingUnaryCall(channel, Probe.G_UNARY, options, Probe.ask(100));
    var inFlight =
        io.grpc.stub.ClientCalls.futureUnaryCall(
            channel.newCall(Probe.G_UNARY, io.grpc.CallOptions.DEFAULT), Probe.text("hang"));

    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                io.grpc.stub.ClientCalls.blockingUnaryCall(
                    channel, Probe.G_UNARY, options, Probe.ask(BIG_VALUE.length())));
    assertTrue(e.getStatus().getCode() != io.grpc.Status.Code.OK, e::toString);
    io.grpc.stub.ClientCalls.blockingUnaryCall(channel, Probe.G_UNARY, options, Probe.ask(100));
    assertTrue(
        tap.frames(WireTap.Direction.TO_SERVER, WireTap.GOAWAY).isEmpty(),
        "the client had to tear the connection down: " + e.getStatus());
    assertEquals(false, inFlight.isDone(), "a call in flight on the connection was hurt");
    inFlight.cancel(true);
  }

  private static byte[] callWith(ManagedChannel channel, String value, String request) {
    return Calls.strand(
        channel, CallOptions.DEFAULT, new Metadata().add("x-big", value), Probe.text(request));
  }
}
