package dev.strand.e2e.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.Status;
import dev.strand.StatusException;
import dev.strand.client.CallOptions;
import dev.strand.client.ManagedChannel;
import dev.strand.server.ServiceDefinition;
import dev.strand.stub.ClientCalls;
import dev.strand.stub.ServerCalls;
import io.grpc.ServerServiceDefinition;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A call with the wrong number of messages for its method's shape ends UNIMPLEMENTED
 * (statuscodes.md: request cardinality is the server's to check, response cardinality the
 * client's). The peer sends its messages as if the method were bidirectional.
 */
@Timeout(30)
class CardinalityTest {
  private static final io.grpc.MethodDescriptor<byte[], byte[]> UNARY_AS_BIDI =
      Probe.grpc(
          io.grpc.MethodDescriptor.MethodType.BIDI_STREAMING,
          "Unary",
          Probe.G_BYTES,
          Probe.G_BYTES);
  private static final io.grpc.MethodDescriptor<byte[], byte[]> SERVER_STREAM_AS_BIDI =
      Probe.grpc(
          io.grpc.MethodDescriptor.MethodType.BIDI_STREAMING,
          "ServerStream",
          Probe.G_BYTES,
          Probe.G_BYTES);

  private final Peers peers = new Peers();

  @AfterEach
  void stop() throws Exception {
    peers.close();
  }

  private io.grpc.ManagedChannel grpcClientOfStrand() throws Exception {
    ServiceDefinition service =
        ServiceDefinition.builder(Probe.SERVICE)
            .method(Probe.UNARY, ServerCalls.unary(req -> req))
            .method(Probe.SERVER_STREAM, ServerCalls.serverStreaming((req, sink) -> sink.send(req)))
            .build();
    return peers.grpcChannelTo(peers.start(Peers.strandServer().service(service)).port());
  }

  /** Sends {@code requests} on a call to {@code method} and returns its final status. */
  private static io.grpc.Status sendFromGrpcJava(
      io.grpc.Channel channel, io.grpc.MethodDescriptor<byte[], byte[]> method, int requests)
      throws Exception {
    CompletableFuture<io.grpc.Status> closed = new CompletableFuture<>();
    var call =
        channel.newCall(
            method, io.grpc.CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS));
    call.start(
        new io.grpc.ClientCall.Listener<>() {
          @Override
          public void onClose(io.grpc.Status status, io.grpc.Metadata trailers) {
            closed.complete(status);
          }
        },
        new io.grpc.Metadata());
    call.request(10);
    for (int i = 0; i < requests; i++) {
      call.sendMessage(Probe.text("r" + i));
    }
    call.halfClose();
    return closed.get(10, TimeUnit.SECONDS);
  }

  @Test
  void strandServerAnswersTwoUnaryRequestsWithUnimplemented() throws Exception {
    io.grpc.Status status = sendFromGrpcJava(grpcClientOfStrand(), UNARY_AS_BIDI, 2);
    assertEquals(io.grpc.Status.Code.UNIMPLEMENTED, status.getCode(), status::toString);
    assertTrue(status.getDescription().contains("exactly one request"), status::toString);
  }

  @Test
  void strandServerAnswersAUnaryCallWithoutRequestWithUnimplemented() throws Exception {
    io.grpc.Status status = sendFromGrpcJava(grpcClientOfStrand(), UNARY_AS_BIDI, 0);
    assertEquals(io.grpc.Status.Code.UNIMPLEMENTED, status.getCode(), status::toString);
  }

  @Test
  void strandServerAnswersTwoServerStreamingRequestsWithUnimplemented() throws Exception {
    io.grpc.Status status = sendFromGrpcJava(grpcClientOfStrand(), SERVER_STREAM_AS_BIDI, 2);
    assertEquals(io.grpc.Status.Code.UNIMPLEMENTED, status.getCode(), status::toString);
  }

  @Test
  void theServerStaysHealthyAfterACardinalityViolation() throws Exception {
    io.grpc.ManagedChannel channel = grpcClientOfStrand();
    sendFromGrpcJava(channel, UNARY_AS_BIDI, 3);
    byte[] echo =
        io.grpc.stub.ClientCalls.blockingUnaryCall(
            channel,
            Probe.G_UNARY,
            io.grpc.CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
            Probe.text("ok"));
    assertEquals("ok", Probe.text(echo));
  }

  /** A grpc-java server that answers the "Unary" method with {@code responses} messages. */
  private ManagedChannel strandClientOfGrpcJavaSending(int responses) {
    ServerServiceDefinition service =
        ServerServiceDefinition.builder(Probe.SERVICE)
            .addMethod(
                UNARY_AS_BIDI,
                io.grpc.stub.ServerCalls.asyncBidiStreamingCall(
                    (io.grpc.stub.StreamObserver<byte[]> out) ->
                        new io.grpc.stub.StreamObserver<byte[]>() {
                          @Override
                          public void onNext(byte[] value) {}

                          @Override
                          public void onError(Throwable t) {}

                          @Override
                          public void onCompleted() {
                            for (int i = 0; i < responses; i++) {
                              out.onNext(Probe.text("answer " + i));
                            }
                            out.onCompleted();
                          }
                        }))
            .build();
    return peers.strandChannelTo(peers.grpcServerWith(service).getPort());
  }

  @Test
  void strandClientFailsAUnaryCallWithTwoResponsesUnimplemented() {
    for (int responses : List.of(0, 2)) {
      ManagedChannel channel = strandClientOfGrpcJavaSending(responses);
      StatusException e =
          assertThrows(
              StatusException.class,
              () ->
                  ClientCalls.blockingUnary(
                      channel,
                      Probe.UNARY,
                      CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(10)),
                      Probe.text("one")));
      assertEquals(Status.Code.UNIMPLEMENTED, e.code(), responses + " responses: " + e);
      assertTrue(e.status().description().contains("exactly one response"), e::toString);
    }
  }
}
