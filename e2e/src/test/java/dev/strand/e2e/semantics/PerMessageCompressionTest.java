package dev.strand.e2e.semantics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strand.client.CallOptions;
import dev.strand.client.ManagedChannel;
import dev.strand.server.ServiceDefinition;
import dev.strand.stub.ClientCalls;
import dev.strand.stub.ClientStreamCall;
import dev.strand.stub.ServerCalls;
import dev.strand.stub.ServerContext;
import dev.strand.stub.StreamSource;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Compression can be turned off for one message of a compressed stream (compression.md, "Specific
 * Disabling of Compression", the defence against CRIME/BEAST): the wire shows flags 1, 0, 1 and
 * the peer reads all three, in every direction between Strand and grpc-java.
 */
@Timeout(30)
class PerMessageCompressionTest {
  private static final List<Boolean> ON_OFF_ON = List.of(true, false, true);

  private final Peers peers = new Peers();

  @AfterEach
  void stop() throws Exception {
    peers.close();
  }

  @Test
  void strandServerSinkSendsOneMessagePlain() throws Exception {
    ServiceDefinition service = ServiceDefinition.builder(Probe.SERVICE)
        .method(Probe.SERVER_STREAM, ServerCalls.serverStreaming((req, out) -> {
          ServerContext.current().setCompression("gzip");
          out.send(Echoes.PAYLOAD);
          out.setMessageCompression(false);
          out.send(Echoes.PAYLOAD);
          out.setMessageCompression(true);
          out.send(Echoes.PAYLOAD);
        }))
        .build();
    WireTap tap = peers.add(WireTap.to(peers.start(Peers.strandServer().service(service)).port()));
    var responses = io.grpc.stub.ClientCalls.blockingServerStreamingCall(
        peers.grpcChannelTo(tap.port()), Probe.G_SERVER_STREAM,
        io.grpc.CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), Probe.text("go"));
    int n = 0;
    while (responses.hasNext()) {
      assertArrayEquals(Echoes.PAYLOAD, responses.next());
      n++;
    }
    assertEquals(3, n);
    assertEquals(ON_OFF_ON, WireTap.Exchange.flags(tap.lastExchange().responseMessages()));
  }

  @Test
  void strandClientSendsOneMessagePlain() throws Exception {
    ServerServiceDefinition counter = ServerServiceDefinition.builder(Probe.SERVICE)
        .addMethod(Probe.G_CLIENT_STREAM, io.grpc.stub.ServerCalls.asyncClientStreamingCall(
            responses -> new StreamObserver<byte[]>() {
              private int intact;

              @Override
              public void onNext(byte[] value) {
                intact += java.util.Arrays.equals(Echoes.PAYLOAD, value) ? 1 : 0;
              }

              @Override
              public void onError(Throwable t) {}

              @Override
              public void onCompleted() {
                responses.onNext(Probe.ask(intact));
                responses.onCompleted();
              }
            }))
        .build();
    WireTap tap = peers.add(WireTap.to(peers.grpcServerWith(counter).getPort()));
    ManagedChannel channel = peers.strandChannelTo(tap.port());
    ClientStreamCall<byte[], byte[]> call = ClientCalls.clientStream(channel, Probe.CLIENT_STREAM,
        CallOptions.DEFAULT.withCompression("gzip").withTimeout(Duration.ofSeconds(10)));
    call.send(Echoes.PAYLOAD);
    call.setMessageCompression(false);
    call.send(Echoes.PAYLOAD);
    call.setMessageCompression(true);
    call.send(Echoes.PAYLOAD);
    assertEquals(3, Probe.asked(call.finish()));
    assertEquals(ON_OFF_ON, WireTap.Exchange.flags(tap.lastExchange().requestMessages()));
  }

  @Test
  void strandClientReadsAGrpcJavaStreamWithOneMessagePlain() throws Exception {
    ServerServiceDefinition service = ServerServiceDefinition.builder(Probe.SERVICE)
        .addMethod(Probe.G_SERVER_STREAM, io.grpc.stub.ServerCalls.asyncServerStreamingCall(
            (req, responses) -> {
              ServerCallStreamObserver<byte[]> out = (ServerCallStreamObserver<byte[]>) responses;
              out.setCompression("gzip");
              out.onNext(Echoes.PAYLOAD);
              out.setMessageCompression(false);
              out.onNext(Echoes.PAYLOAD);
              out.setMessageCompression(true);
              out.onNext(Echoes.PAYLOAD);
              out.onCompleted();
            }))
        .build();
    WireTap tap = peers.add(WireTap.to(peers.grpcServerWith(service).getPort()));
    try (StreamSource<byte[]> responses = ClientCalls.serverStream(
        peers.strandChannelTo(tap.port()), Probe.SERVER_STREAM,
        CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(10)), Probe.text("go"))) {
      int n = 0;
      for (byte[] r : responses) {
        assertArrayEquals(Echoes.PAYLOAD, r);
        n++;
      }
      assertEquals(3, n);
    }
    assertEquals(ON_OFF_ON, WireTap.Exchange.flags(tap.lastExchange().responseMessages()));
  }

  @Test
  void strandServerReadsAGrpcJavaStreamWithOneMessagePlain() throws Exception {
    ServiceDefinition service = ServiceDefinition.builder(Probe.SERVICE)
        .method(Probe.CLIENT_STREAM, ServerCalls.clientStreaming((StreamSource<byte[]> in) -> {
          int intact = 0;
          for (byte[] m : in) {
            intact += java.util.Arrays.equals(Echoes.PAYLOAD, m) ? 1 : 0;
          }
          return Probe.ask(intact);
        }))
        .build();
    WireTap tap = peers.add(WireTap.to(peers.start(Peers.strandServer().service(service)).port()));
    CompletableFuture<byte[]> result = new CompletableFuture<>();
    List<Throwable> errors = new ArrayList<>();
    StreamObserver<byte[]> requests = io.grpc.stub.ClientCalls.asyncClientStreamingCall(
        peers.grpcChannelTo(tap.port()).newCall(Probe.G_CLIENT_STREAM,
            io.grpc.CallOptions.DEFAULT.withCompression("gzip")
                .withDeadlineAfter(10, TimeUnit.SECONDS)),
        new StreamObserver<>() {
          @Override
          public void onNext(byte[] value) {
            result.complete(value);
          }

          @Override
          public void onError(Throwable t) {
            errors.add(t);
            result.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {}
        });
    ClientCallStreamObserver<byte[]> out = (ClientCallStreamObserver<byte[]>) requests;
    out.onNext(Echoes.PAYLOAD);
    out.setMessageCompression(false);
    out.onNext(Echoes.PAYLOAD);
    out.setMessageCompression(true);
    out.onNext(Echoes.PAYLOAD);
    out.onCompleted();
    assertEquals(3, Probe.asked(result.get(10, TimeUnit.SECONDS)), errors::toString);
    assertEquals(ON_OFF_ON, WireTap.Exchange.flags(tap.lastExchange().requestMessages()));
  }
}
