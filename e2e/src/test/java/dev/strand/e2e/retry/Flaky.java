package dev.strand.e2e.retry;

import dev.strand.Metadata;
import dev.strand.MethodDescriptor;
import dev.strand.MethodType;
import dev.strand.Status;
import dev.strand.StatusException;
import dev.strand.server.ServiceDefinition;
import dev.strand.stub.ServerCalls;
import dev.strand.stub.ServerContext;
import dev.strand.testing.Utf8Marshaller;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A service that fails on purpose, and counts what it saw: how many attempts arrived and with which
 * {@code grpc-previous-rpc-attempts}, so tests can check the client's retries from the server's
 * side.
 */
final class Flaky {
  static final String SERVICE = "strand.test.Flaky";

  /** Every other attempt (by arrival) fails with UNAVAILABLE: 50% of attempts. */
  static final MethodDescriptor<String, String> ALTERNATE = unary("Alternate");

  /** Every attempt fails with UNAVAILABLE. */
  static final MethodDescriptor<String, String> ALWAYS = unary("Always");

  /** Fails with UNAVAILABLE and {@code grpc-retry-pushback-ms} set to the request. */
  static final MethodDescriptor<String, String> PUSHBACK = unary("Pushback");

  /** The first attempt answers after 3 s, later ones at once: what hedging is for. */
  static final MethodDescriptor<String, String> SLOW_FIRST = unary("SlowFirst");

  /** Reads every request, then fails with UNAVAILABLE: retryable unless the call committed. */
  static final MethodDescriptor<String, String> READ_ALL_THEN_FAIL =
      MethodDescriptor.of(
          MethodType.CLIENT_STREAMING,
          SERVICE + "/ReadAllThenFail",
          Utf8Marshaller.INSTANCE,
          Utf8Marshaller.INSTANCE);

  /** First attempt: UNAVAILABLE before any message (Trailers-Only); later ones: three messages. */
  static final MethodDescriptor<String, String> FAIL_BEFORE_FIRST =
      MethodDescriptor.of(
          MethodType.SERVER_STREAMING,
          SERVICE + "/FailBeforeFirst",
          Utf8Marshaller.INSTANCE,
          Utf8Marshaller.INSTANCE);

  /** One message, then UNAVAILABLE: committed by its headers, never retried. */
  static final MethodDescriptor<String, String> ONE_THEN_FAIL =
      MethodDescriptor.of(
          MethodType.SERVER_STREAMING,
          SERVICE + "/OneThenFail",
          Utf8Marshaller.INSTANCE,
          Utf8Marshaller.INSTANCE);

  /** First attempt: UNAVAILABLE before reading; later ones: the requests, joined. */
  static final MethodDescriptor<String, String> JOIN_ON_RETRY =
      MethodDescriptor.of(
          MethodType.CLIENT_STREAMING,
          SERVICE + "/JoinOnRetry",
          Utf8Marshaller.INSTANCE,
          Utf8Marshaller.INSTANCE);

  /** Attempts seen, per method name. */
  final ConcurrentHashMap<String, AtomicLong> attempts = new ConcurrentHashMap<>();

  /** {@code grpc-previous-rpc-attempts} of each attempt ("-" when absent), in arrival order. */
  final ConcurrentLinkedQueue<String> previousAttempts = new ConcurrentLinkedQueue<>();

  /** Arrival times of Pushback attempts (System.nanoTime). */
  final ConcurrentLinkedQueue<Long> pushbackArrivals = new ConcurrentLinkedQueue<>();

  final ConcurrentLinkedQueue<String> cancelledSlowAttempts = new ConcurrentLinkedQueue<>();

  private final AtomicLong alternate = new AtomicLong();

  private static MethodDescriptor<String, String> unary(String name) {
    return MethodDescriptor.of(
        MethodType.UNARY, SERVICE + "/" + name, Utf8Marshaller.INSTANCE, Utf8Marshaller.INSTANCE);
  }

  long attempts(MethodDescriptor<?, ?> method) {
    AtomicLong n = attempts.get(method.methodName());
    return n == null ? 0 : n.get();
  }

  private String arrive(String method) {
    attempts.computeIfAbsent(method, m -> new AtomicLong()).incrementAndGet();
    String previous = ServerContext.current().requestHeaders().get("grpc-previous-rpc-attempts");
    previousAttempts.add(previous == null ? "-" : previous);
    return previous;
  }

  private static StatusException unavailable(String why) {
    return Status.UNAVAILABLE.withDescription(why).asException();
  }

  ServiceDefinition definition() {
    return ServiceDefinition.builder(SERVICE)
        .method(
            ALTERNATE,
            ServerCalls.unary(
                request -> {
                  arrive("Alternate");
                  if (alternate.getAndIncrement() % 2 == 0) {
                    throw unavailable("every other attempt fails");
                  }
                  return "ok:" + request;
                }))
        .method(
            ALWAYS,
            ServerCalls.unary(
                request -> {
                  arrive("Always");
                  throw unavailable("always down");
                }))
        .method(
            PUSHBACK,
            ServerCalls.unary(
                request -> {
                  arrive("Pushback");
                  pushbackArrivals.add(System.nanoTime());
                  Metadata trailers = new Metadata();
                  trailers.put("grpc-retry-pushback-ms", request);
                  throw new StatusException(
                      Status.UNAVAILABLE.withDescription("pushback " + request), trailers);
                }))
        .method(
            SLOW_FIRST,
            ServerCalls.unary(
                request -> {
                  String previous = arrive("SlowFirst");
                  if (previous == null) {
                    ServerContext context = ServerContext.current();
                    for (int i = 0; i < 300 && !context.isCancelled(); i++) {
                      Thread.sleep(10);
                    }
                    if (context.isCancelled()) {
                      cancelledSlowAttempts.add(request);
                    }
                    return "slow";
                  }
                  return "fast:" + previous;
                }))
        .method(
            ONE_THEN_FAIL,
            ServerCalls.serverStreaming(
                (request, responses) -> {
                  arrive("OneThenFail");
                  responses.send("one");
                  throw unavailable("failed after the first message");
                }))
        .method(
            FAIL_BEFORE_FIRST,
            ServerCalls.serverStreaming(
                (request, responses) -> {
                  if (arrive("FailBeforeFirst") == null) {
                    throw unavailable("failed before the first message");
                  }
                  for (int i = 1; i <= 3; i++) {
                    responses.send(request + i);
                  }
                }))
        .method(
            READ_ALL_THEN_FAIL,
            ServerCalls.clientStreaming(
                requests -> {
                  arrive("ReadAllThenFail");
                  for (String unused : requests) {
                    // drain
                  }
                  throw unavailable("read it all, failing anyway");
                }))
        .method(
            JOIN_ON_RETRY,
            ServerCalls.clientStreaming(
                requests -> {
                  if (arrive("JoinOnRetry") == null) {
                    throw unavailable("first attempt fails before reading");
                  }
                  StringBuilder joined = new StringBuilder();
                  for (String r : requests) {
                    joined.append(r);
                  }
                  return joined.toString();
                }))
        .build();
  }

  /** ALTERNATE and ALWAYS on grpc-java 1.85.1, counting into the same fields. */
  io.grpc.ServerServiceDefinition grpcJavaDefinition() {
    io.grpc.MethodDescriptor.Marshaller<String> utf8 = dev.strand.e2e.GrpcJavaUtf8.MARSHALLER;
    io.grpc.ServerServiceDefinition.Builder builder =
        io.grpc.ServerServiceDefinition.builder(SERVICE);
    for (String name : List.of("Alternate", "Always", "Pushback")) {
      io.grpc.MethodDescriptor<String, String> method =
          io.grpc.MethodDescriptor.<String, String>newBuilder(utf8, utf8)
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(SERVICE + "/" + name)
              .build();
      io.grpc.ServerCallHandler<String, String> handler =
          (call, headers) -> {
            attempts.computeIfAbsent(name, m -> new AtomicLong()).incrementAndGet();
            String previous =
                headers.get(
                    io.grpc.Metadata.Key.of(
                        "grpc-previous-rpc-attempts", io.grpc.Metadata.ASCII_STRING_MARSHALLER));
            previousAttempts.add(previous == null ? "-" : previous);
            if (name.equals("Pushback")) {
              pushbackArrivals.add(System.nanoTime());
            }
            boolean fail = !name.equals("Alternate") || alternate.getAndIncrement() % 2 == 0;
            call.request(1);
            return new io.grpc.ServerCall.Listener<String>() {
              @Override
              public void onMessage(String request) {
                if (name.equals("Pushback")) {
                  io.grpc.Metadata trailers = new io.grpc.Metadata();
                  trailers.put(
                      io.grpc.Metadata.Key.of(
                          "grpc-retry-pushback-ms", io.grpc.Metadata.ASCII_STRING_MARSHALLER),
                      request);
                  call.close(
                      io.grpc.Status.UNAVAILABLE.withDescription("grpc-java pushback " + request),
                      trailers);
                  return;
                }
                if (fail) {
                  call.close(
                      io.grpc.Status.UNAVAILABLE.withDescription("grpc-java says no"),
                      new io.grpc.Metadata());
                  return;
                }
                call.sendHeaders(new io.grpc.Metadata());
                call.sendMessage("ok:" + request);
                call.close(io.grpc.Status.OK, new io.grpc.Metadata());
              }
            };
          };
      builder.addMethod(method, handler);
    }
    return builder.build();
  }
}
