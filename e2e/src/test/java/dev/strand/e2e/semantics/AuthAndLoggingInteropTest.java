package dev.strand.e2e.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.Status;
import dev.strand.StatusException;
import dev.strand.client.CallOptions;
import dev.strand.client.ManagedChannel;
import dev.strand.interceptor.BearerTokenAuth;
import dev.strand.interceptor.CallLogging;
import dev.strand.server.ServiceDefinition;
import dev.strand.stub.ClientCalls;
import dev.strand.stub.ServerCalls;
import dev.strand.testing.Await;
import io.grpc.CallCredentials;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Strand's ready-made interceptors against grpc-java peers: BearerTokenAuth.server accepts a
 * grpc-java client's token (sent as grpc-java CallCredentials) and turns others away before the
 * handler runs; BearerTokenAuth.client's token satisfies a grpc-java server that checks it; and
 * CallLogging logs one line per failed call on either side (OK calls stay quiet at INFO).
 */
@Timeout(30)
class AuthAndLoggingInteropTest {
  private static final io.grpc.Metadata.Key<String> AUTHORIZATION =
      io.grpc.Metadata.Key.of("authorization", io.grpc.Metadata.ASCII_STRING_MARSHALLER);

  private final Peers peers = new Peers();
  private final AtomicInteger handlerRan = new AtomicInteger();

  @AfterEach
  void stop() throws Exception {
    peers.close();
  }

  /** grpc-java's way to send a token with every call. */
  private static CallCredentials bearer(String token) {
    return new CallCredentials() {
      @Override
      public void applyRequestMetadata(
          RequestInfo info, Executor executor, MetadataApplier applier) {
        io.grpc.Metadata md = new io.grpc.Metadata();
        md.put(AUTHORIZATION, "Bearer " + token);
        applier.apply(md);
      }
    };
  }

  private ServiceDefinition countingEcho() {
    return ServiceDefinition.builder(Probe.SERVICE)
        .method(
            Probe.UNARY,
            ServerCalls.unary(
                req -> {
                  handlerRan.incrementAndGet();
                  if (Probe.text(req).equals("fail")) {
                    throw Status.NOT_FOUND.withDescription("no such thing").asException();
                  }
                  return req;
                }))
        .build();
  }

  private static byte[] grpcCall(
      io.grpc.Channel channel, CallCredentials credentials, String request) {
    io.grpc.CallOptions options =
        io.grpc.CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS);
    return io.grpc.stub.ClientCalls.blockingUnaryCall(
        channel,
        Probe.G_UNARY,
        credentials == null ? options : options.withCallCredentials(credentials),
        Probe.text(request));
  }

  @Test
  void strandServerChecksTheTokenOfAGrpcJavaClient() throws Exception {
    var channel =
        peers.grpcChannelTo(
            peers
                .start(
                    Peers.strandServer()
                        .interceptor(
                            BearerTokenAuth.server(
                                (token, method) ->
                                    token.equals("s3cret")
                                        && method.serviceName().equals(Probe.SERVICE)))
                        .service(countingEcho()))
                .port());
    assertEquals("hi", Probe.text(grpcCall(channel, bearer("s3cret"), "hi")));

    StatusRuntimeException wrong =
        assertThrows(StatusRuntimeException.class, () -> grpcCall(channel, bearer("guess"), "hi"));
    assertEquals(io.grpc.Status.Code.UNAUTHENTICATED, wrong.getStatus().getCode());
    assertEquals("invalid bearer token", wrong.getStatus().getDescription());
    StatusRuntimeException missing =
        assertThrows(StatusRuntimeException.class, () -> grpcCall(channel, null, "hi"));
    assertEquals(io.grpc.Status.Code.UNAUTHENTICATED, missing.getStatus().getCode());
    assertEquals("missing bearer token", missing.getStatus().getDescription());
    assertEquals(1, handlerRan.get(), "a handler ran for a call without a valid token");
  }

  @Test
  void strandClientTokenSatisfiesAGrpcJavaServerThatChecksIt() throws Exception {
    ServerServiceDefinition echo =
        ServerServiceDefinition.builder(Probe.SERVICE)
            .addMethod(
                Probe.G_UNARY,
                io.grpc.stub.ServerCalls.asyncUnaryCall(
                    (req, responses) -> {
                      handlerRan.incrementAndGet();
                      responses.onNext(req);
                      responses.onCompleted();
                    }))
            .build();
    int port =
        peers
            .grpcServerWith(
                ServerInterceptors.intercept(
                    echo,
                    new io.grpc.ServerInterceptor() {
                      @Override
                      public <ReqT, RespT> io.grpc.ServerCall.Listener<ReqT> interceptCall(
                          io.grpc.ServerCall<ReqT, RespT> call,
                          io.grpc.Metadata headers,
                          io.grpc.ServerCallHandler<ReqT, RespT> next) {
                        if (!"Bearer s3cret".equals(headers.get(AUTHORIZATION))) {
                          call.close(
                              io.grpc.Status.UNAUTHENTICATED.withDescription("who are you?"),
                              new io.grpc.Metadata());
                          return new io.grpc.ServerCall.Listener<>() {};
                        }
                        return next.startCall(call, headers);
                      }
                    }))
            .getPort();
    CallOptions options = CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(10));
    ManagedChannel good =
        peers.start(Peers.strandChannel(port).interceptor(BearerTokenAuth.client(() -> "s3cret")));
    assertEquals(
        "hi", Probe.text(ClientCalls.blockingUnary(good, Probe.UNARY, options, Probe.text("hi"))));
    ManagedChannel bad =
        peers.start(Peers.strandChannel(port).interceptor(BearerTokenAuth.client(() -> "guess")));
    StatusException e =
        assertThrows(
            StatusException.class,
            () -> ClientCalls.blockingUnary(bad, Probe.UNARY, options, Probe.text("hi")));
    assertEquals(Status.Code.UNAUTHENTICATED, e.code());
    assertEquals("who are you?", e.status().description());
    assertEquals(1, handlerRan.get());
  }

  /**
   * Runs {@code body} with System.err (where slf4j-simple writes) captured, and keeps capturing
   * until it holds {@code awaited}: a server's log line may follow the client's answer by a moment.
   * Fails, with what it did capture, if that line is not there within 5 s.
   */
  private static String stderrOf(String awaited, ThrowingRunnable body) throws Exception {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      body.run();
      Await.until(
          Duration.ofSeconds(5),
          () -> captured.toString(StandardCharsets.UTF_8).contains(awaited),
          () -> "no '" + awaited + "' in stderr: " + captured.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }

  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  @Test
  void callLoggingOnAStrandServerLogsGrpcJavasFailedCalls() throws Exception {
    var channel =
        peers.grpcChannelTo(
            peers
                .start(
                    Peers.strandServer().interceptor(CallLogging.server()).service(countingEcho()))
                .port());
    // An OK call, then a failed one: the OK call was over before the failed one began, so once
    // the failed call's line is there, the OK call has had every chance to log.
    String log =
        stderrOf(
            Probe.SERVICE + "/Unary NOT_FOUND in ",
            () -> {
              assertEquals("hi", Probe.text(grpcCall(channel, null, "hi")));
              assertThrows(StatusRuntimeException.class, () -> grpcCall(channel, null, "fail"));
            });
    assertEquals(
        1,
        log.lines().filter(line -> line.contains(Probe.SERVICE)).count(),
        "not just the failed call was logged at INFO: " + log);
    assertTrue(log.contains(" from /127.0.0.1:"), log);
    assertTrue(log.contains(": no such thing"), log);
  }

  @Test
  void callLoggingOnAStrandClientLogsFailedCallsToGrpcJava() throws Exception {
    ServerServiceDefinition failing =
        ServerServiceDefinition.builder(Probe.SERVICE)
            .addMethod(
                Probe.G_UNARY,
                io.grpc.stub.ServerCalls.asyncUnaryCall(
                    (req, responses) ->
                        responses.onError(
                            io.grpc.Status.NOT_FOUND
                                .withDescription("no such thing")
                                .asRuntimeException())))
            .build();
    int port = peers.grpcServerWith(failing).getPort();
    ManagedChannel channel =
        peers.start(Peers.strandChannel(port).interceptor(CallLogging.client()));
    String failed =
        stderrOf(
            Probe.SERVICE + "/Unary NOT_FOUND in ",
            () ->
                assertThrows(
                    StatusException.class,
                    () ->
                        ClientCalls.blockingUnary(
                            channel,
                            Probe.UNARY,
                            CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(10)),
                            Probe.text("x"))));
    assertTrue(failed.contains(" to 127.0.0.1:" + port + ": no such thing"), failed);
  }
}
