package dev.strand.e2e.semantics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.strand.Metadata;
import dev.strand.Status;
import dev.strand.StatusException;
import dev.strand.client.CallOptions;
import dev.strand.client.ManagedChannel;
import dev.strand.server.ServiceDefinition;
import dev.strand.stub.ClientCalls;
import dev.strand.stub.ServerCalls;
import dev.strand.stub.ServerContext;
import dev.strand.stub.StreamSource;
import io.grpc.ServerServiceDefinition;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Errors across implementations: a status's code, description (any Unicode) and trailers (ASCII and
 * binary) travel both ways; a status can follow messages on a stream; and what must not leak does
 * not — a plain exception's message, a Status's cause.
 */
@Timeout(30)
class ErrorsTest {
  private static final String SECRET = "db password is hunter2";
  private static final String UNICODE = "h\u00e9llo \u4e16\u754c 100% done\nline two";
  private static final byte[] DETAIL = {0, 1, 2, (byte) 0xff};

  private final Peers peers = new Peers();

  @AfterEach
  void stop() throws Exception {
    peers.close();
  }

  private io.grpc.ManagedChannel grpcClientOfStrand() throws Exception {
    ServiceDefinition service =
        ServiceDefinition.builder(Probe.SERVICE)
            .method(
                Probe.UNARY,
                ServerCalls.unary(
                    req -> {
                      switch (Probe.text(req)) {
                        case "status" -> {
                          ServerContext.current().responseTrailers().add("x-set-early", "yes");
                          throw Status.NOT_FOUND
                              .withDescription(UNICODE)
                              .asException(
                                  new Metadata()
                                      .add("x-book", "42")
                                      .addBinary("x-detail-bin", DETAIL));
                        }
                        case "plain" -> throw new IllegalStateException(SECRET);
                        case "cause" ->
                            throw Status.INTERNAL
                                .withDescription("bad state")
                                .withCause(new RuntimeException(SECRET))
                                .asException();
                        default -> {
                          return req;
                        }
                      }
                    }))
            .method(
                Probe.SERVER_STREAM,
                ServerCalls.serverStreaming(
                    (req, out) -> {
                      out.send(Probe.text("one"));
                      out.send(Probe.text("two"));
                      throw Status.ABORTED.withDescription("stopped after two").asException();
                    }))
            .build();
    return peers.grpcChannelTo(peers.start(Peers.strandServer().service(service)).port());
  }

  private static StatusRuntimeException grpcFails(io.grpc.Channel channel, String request) {
    return assertThrows(
        StatusRuntimeException.class,
        () ->
            io.grpc.stub.ClientCalls.blockingUnaryCall(
                channel,
                Probe.G_UNARY,
                io.grpc.CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
                Probe.text(request)));
  }

  private static String ascii(io.grpc.Metadata md, String key) {
    return md.get(io.grpc.Metadata.Key.of(key, io.grpc.Metadata.ASCII_STRING_MARSHALLER));
  }

  @Test
  void aStrandStatusWithTrailersReachesGrpcJava() throws Exception {
    StatusRuntimeException e = grpcFails(grpcClientOfStrand(), "status");
    assertEquals(io.grpc.Status.Code.NOT_FOUND, e.getStatus().getCode());
    assertEquals(UNICODE, e.getStatus().getDescription());
    io.grpc.Metadata trailers = e.getTrailers();
    assertEquals("42", ascii(trailers, "x-book"));
    assertEquals("yes", ascii(trailers, "x-set-early"));
    assertArrayEquals(
        DETAIL,
        trailers.get(
            io.grpc.Metadata.Key.of("x-detail-bin", io.grpc.Metadata.BINARY_BYTE_MARSHALLER)));
  }

  @Test
  void aPlainExceptionBecomesUnknownAndLeaksNothing() throws Exception {
    StatusRuntimeException e = grpcFails(grpcClientOfStrand(), "plain");
    assertEquals(io.grpc.Status.Code.UNKNOWN, e.getStatus().getCode());
    assertEquals("application error", e.getStatus().getDescription());
    assertFalse(String.valueOf(e.getTrailers()).contains("hunter2"), e.getTrailers()::toString);
  }

  @Test
  void aStatusCauseStaysOnTheServer() throws Exception {
    StatusRuntimeException e = grpcFails(grpcClientOfStrand(), "cause");
    assertEquals(io.grpc.Status.Code.INTERNAL, e.getStatus().getCode());
    assertEquals("bad state", e.getStatus().getDescription());
    assertFalse(String.valueOf(e.getTrailers()).contains("hunter2"));
  }

  @Test
  void aStatusAfterMessagesReachesGrpcJavaAfterThem() throws Exception {
    var responses =
        io.grpc.stub.ClientCalls.blockingServerStreamingCall(
            grpcClientOfStrand(),
            Probe.G_SERVER_STREAM,
            io.grpc.CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
            Probe.text("go"));
    assertEquals("one", Probe.text(responses.next()));
    assertEquals("two", Probe.text(responses.next()));
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, responses::hasNext);
    assertEquals(io.grpc.Status.Code.ABORTED, e.getStatus().getCode());
    assertEquals("stopped after two", e.getStatus().getDescription());
  }

  private ManagedChannel strandClientOfGrpcJava() {
    io.grpc.Metadata trailers = new io.grpc.Metadata();
    trailers.put(io.grpc.Metadata.Key.of("x-book", io.grpc.Metadata.ASCII_STRING_MARSHALLER), "42");
    trailers.put(
        io.grpc.Metadata.Key.of("x-detail-bin", io.grpc.Metadata.BINARY_BYTE_MARSHALLER), DETAIL);
    ServerServiceDefinition service =
        ServerServiceDefinition.builder(Probe.SERVICE)
            .addMethod(
                Probe.G_UNARY,
                io.grpc.stub.ServerCalls.asyncUnaryCall(
                    (req, responses) ->
                        responses.onError(
                            io.grpc.Status.ALREADY_EXISTS
                                .withDescription(UNICODE)
                                .asRuntimeException(trailers))))
            .addMethod(
                Probe.G_SERVER_STREAM,
                io.grpc.stub.ServerCalls.asyncServerStreamingCall(
                    (req, responses) -> {
                      responses.onNext(Probe.text("one"));
                      responses.onNext(Probe.text("two"));
                      responses.onError(
                          io.grpc.Status.ABORTED
                              .withDescription("stopped after two")
                              .asRuntimeException());
                    }))
            .build();
    return peers.strandChannelTo(peers.grpcServerWith(service).getPort());
  }

  @Test
  void aGrpcJavaStatusWithTrailersReachesStrand() throws Exception {
    ManagedChannel channel = strandClientOfGrpcJava();
    StatusException e =
        assertThrows(
            StatusException.class,
            () ->
                ClientCalls.blockingUnary(
                    channel,
                    Probe.UNARY,
                    CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(10)),
                    Probe.text("x")));
    assertEquals(Status.Code.ALREADY_EXISTS, e.code());
    assertEquals(UNICODE, e.status().description());
    assertEquals("42", e.trailers().get("x-book"));
    assertArrayEquals(DETAIL, e.trailers().getBinary("x-detail-bin"));
    // The same status, found from any wrapper.
    assertEquals(e.status(), Status.fromThrowable(new RuntimeException(e)));
  }

  @Test
  void aGrpcJavaStatusAfterMessagesReachesStrandAfterThem() throws Exception {
    List<String> received = new ArrayList<>();
    try (StreamSource<byte[]> responses =
        ClientCalls.serverStream(
            strandClientOfGrpcJava(),
            Probe.SERVER_STREAM,
            CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(10)),
            Probe.text("go"))) {
      StatusException e =
          assertThrows(
              StatusException.class,
              () -> {
                for (byte[] r : responses) {
                  received.add(Probe.text(r));
                }
              });
      assertEquals(Status.Code.ABORTED, e.code());
      assertEquals("stopped after two", e.status().description());
    }
    assertEquals(List.of("one", "two"), received);
  }

  @Test
  void anUnknownMethodIsUnimplemented() throws Exception {
    ManagedChannel channel =
        peers.strandChannelTo(
            peers
                .start(
                    Peers.strandServer()
                        .service(
                            ServiceDefinition.builder(Probe.SERVICE)
                                .method(Probe.UNARY, ServerCalls.unary(req -> req))
                                .build()))
                .port());
    StatusException e =
        assertThrows(
            StatusException.class,
            () ->
                ClientCalls.blockingUnary(
                    channel,
                    Probe.strand(dev.strand.MethodType.UNARY, "Missing", Probe.BYTES, Probe.BYTES),
                    CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(10)),
                    Probe.text("x")));
    assertEquals(Status.Code.UNIMPLEMENTED, e.code());
    assertEquals("Method not found: " + Probe.SERVICE + "/Missing", e.status().description());
  }
}
