package dev.strand.e2e.semantics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strand.Metadata;
import dev.strand.MethodDescriptor;
import dev.strand.client.CallOptions;
import dev.strand.client.Channel;
import dev.strand.client.ClientCall;
import dev.strand.client.ClientInterceptor;
import dev.strand.client.ForwardingClientCall;
import dev.strand.client.ManagedChannel;
import dev.strand.server.ForwardingServerCall;
import dev.strand.server.ServerCall;
import dev.strand.server.ServerCallHandler;
import dev.strand.server.ServerInterceptor;
import dev.strand.server.ServiceDefinition;
import dev.strand.stub.CallStreamObserver;
import dev.strand.stub.ClientCalls;
import dev.strand.stub.ClientStreamCall;
import dev.strand.stub.ServerCalls;
import dev.strand.stub.StreamSource;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Compression can be turned off for one message of a compressed stream (compression.md, "Specific
 * Disabling of Compression", the defence against CRIME/BEAST): the wire shows flags 1, 0, 1 and the
 * peer reads all three, in every direction between Strand and grpc-java. A {@link WireTap} reads
 * the flag in each message's 5-byte prefix, so neither peer's own report is trusted.
 *
 * <p>Strand's side flips the switch every way a user can: blocking and async stubs, client and
 * server, each behind an interceptor the user wrote. The interop client once wrapped its calls in
 * an interceptor that did not pass the switch on, and every message went out compressed;
 * grpc-java's server does not check the flag, so nothing noticed.
 */
@Timeout(30)
class PerMessageCompressionTest {
  private static final List<Boolean> ON_OFF_ON = List.of(true, false, true);

  /** How the Strand side sends three messages, switching compression off for the second. */
  enum Style {
    BLOCKING,
    ASYNC
  }

  private final Peers peers = new Peers();

  @AfterEach
  void stop() throws Exception {
    peers.close();
  }

  @ParameterizedTest
  @EnumSource(Style.class)
  void strandClientTurnsCompressionOffForOneMessage(Style style) throws Exception {
    WireTap tap = peers.add(WireTap.to(peers.grpcServerWith(countingIntactRequests()).getPort()));
    ManagedChannel channel =
        peers.start(
            Peers.strandChannel(tap.port()).interceptor(new PassThroughClientInterceptor()));
    CallOptions gzip =
        CallOptions.DEFAULT.withCompression("gzip").withTimeout(Duration.ofSeconds(10));

    int intact = style == Style.BLOCKING ? sendBlocking(channel, gzip) : sendAsync(channel, gzip);

    assertEquals(3, intact, "messages the server read intact");
    assertEquals(ON_OFF_ON, WireTap.Exchange.flags(tap.lastExchange().requestMessages()));
  }

  @ParameterizedTest
  @EnumSource(Style.class)
  void strandServerTurnsCompressionOffForOneMessage(Style style) throws Exception {
    var handler =
        style == Style.BLOCKING
            ? ServerCalls.<byte[], byte[]>serverStreaming(
                (req, out) -> onOffOn(out::send, out::setMessageCompression))
            : ServerCalls.<byte[], byte[]>asyncServerStreaming(
                (req, out) -> {
                  onOffOn(out::onNext, out::setMessageCompression);
                  out.onCompleted();
                });
    ServiceDefinition service =
        ServiceDefinition.builder(Probe.SERVICE).method(Probe.SERVER_STREAM, handler).build();
    int port =
        peers
            .start(
                Peers.strandServer()
                    .compression("gzip")
                    .interceptor(new PassThroughServerInterceptor())
                    .service(service))
            .port();
    WireTap tap = peers.add(WireTap.to(port));

    var responses =
        io.grpc.stub.ClientCalls.blockingServerStreamingCall(
            peers.grpcChannelTo(tap.port()),
            Probe.G_SERVER_STREAM,
            io.grpc.CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
            Probe.text("go"));
    int n = 0;
    while (responses.hasNext()) {
      assertArrayEquals(Echoes.PAYLOAD, responses.next());
      n++;
    }

    assertEquals(3, n);
    assertEquals(ON_OFF_ON, WireTap.Exchange.flags(tap.lastExchange().responseMessages()));
  }

  @Test
  void strandClientReadsAGrpcJavaStreamWithOneMessagePlain() throws Exception {
    ServerServiceDefinition service =
        ServerServiceDefinition.builder(Probe.SERVICE)
            .addMethod(
                Probe.G_SERVER_STREAM,
                io.grpc.stub.ServerCalls.asyncServerStreamingCall(
                    (req, responses) -> {
                      ServerCallStreamObserver<byte[]> out =
                          (ServerCallStreamObserver<byte[]>) responses;
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
    try (StreamSource<byte[]> responses =
        ClientCalls.serverStream(
            peers.strandChannelTo(tap.port()),
            Probe.SERVER_STREAM,
            CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(10)),
            Probe.text("go"))) {
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
    ServiceDefinition service =
        ServiceDefinition.builder(Probe.SERVICE)
            .method(
                Probe.CLIENT_STREAM,
                ServerCalls.clientStreaming(
                    (StreamSource<byte[]> in) -> {
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
    StreamObserver<byte[]> requests =
        io.grpc.stub.ClientCalls.asyncClientStreamingCall(
            peers
                .grpcChannelTo(tap.port())
                .newCall(
                    Probe.G_CLIENT_STREAM,
                    io.grpc.CallOptions.DEFAULT
                        .withCompression("gzip")
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

  private static int sendBlocking(Channel channel, CallOptions options) {
    ClientStreamCall<byte[], byte[]> call =
        ClientCalls.clientStream(channel, Probe.CLIENT_STREAM, options);
    onOffOn(call::send, call::setMessageCompression);
    return Probe.asked(call.finish());
  }

  private static int sendAsync(Channel channel, CallOptions options) throws Exception {
    CompletableFuture<byte[]> reply = new CompletableFuture<>();
    CallStreamObserver<byte[]> requests =
        ClientCalls.asyncStream(
            channel,
            Probe.CLIENT_STREAM,
            options,
            new dev.strand.stub.StreamObserver<>() {
              @Override
              public void onNext(byte[] value) {
                reply.complete(value);
              }

              @Override
              public void onError(Throwable error) {
                reply.completeExceptionally(error);
              }

              @Override
              public void onCompleted() {}
            });
    onOffOn(requests::onNext, requests::setMessageCompression);
    requests.onCompleted();
    return Probe.asked(reply.get(10, TimeUnit.SECONDS));
  }

  /** Sends the payload three times, the second with compression off. */
  private static void onOffOn(Consumer<byte[]> send, Consumer<Boolean> compress) {
    send.accept(Echoes.PAYLOAD);
    compress.accept(false);
    send.accept(Echoes.PAYLOAD);
    compress.accept(true);
    send.accept(Echoes.PAYLOAD);
  }

  /** A grpc-java client-streaming method that answers how many requests arrived intact. */
  private static ServerServiceDefinition countingIntactRequests() {
    return ServerServiceDefinition.builder(Probe.SERVICE)
        .addMethod(
            Probe.G_CLIENT_STREAM,
            io.grpc.stub.ServerCalls.asyncClientStreamingCall(
                responses ->
                    new StreamObserver<byte[]>() {
                      private int intact;

                      @Override
                      public void onNext(byte[] value) {
                        intact += Arrays.equals(Echoes.PAYLOAD, value) ? 1 : 0;
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
  }

  /** What a user's header-adding interceptor looks like: it overrides start and nothing else. */
  private static final class PassThroughClientInterceptor implements ClientInterceptor {
    @Override
    public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
        MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next) {
      return new ForwardingClientCall<>(next.newCall(method, options)) {
        @Override
        public void start(Listener<RespT> listener, Metadata headers) {
          headers.put("x-passed-through", "yes");
          super.start(listener, headers);
        }
      };
    }
  }

  /** The server's counterpart: it wraps the call and overrides only the headers it sends. */
  private static final class PassThroughServerInterceptor implements ServerInterceptor {
    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
        ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
      return next.startCall(
          new ForwardingServerCall<>(call) {
            @Override
            public void sendHeaders(Metadata responseHeaders) {
              responseHeaders.put("x-passed-through", "yes");
              super.sendHeaders(responseHeaders);
            }
          },
          headers);
    }
  }
}
