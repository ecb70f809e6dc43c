package dev.strand;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.strand.client.CallOptions;
import dev.strand.client.Channel;
import dev.strand.client.ClientInterceptor;
import dev.strand.client.ManagedChannel;
import dev.strand.interceptor.BearerTokenAuth;
import dev.strand.interceptor.CallLogging;
import dev.strand.server.ForwardingServerCall;
import dev.strand.server.Server;
import dev.strand.server.ServerCall;
import dev.strand.server.ServerCallHandler;
import dev.strand.server.ServerInterceptor;
import dev.strand.stub.ClientCalls;
import dev.strand.testing.EchoService;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class InterceptorsTest {
  final List<String> events = new CopyOnWriteArrayList<>();

  ServerInterceptor recording(String name) {
    return new ServerInterceptor() {
      @Override
      public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
          ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
        events.add("server " + name);
        return next.startCall(
            new ForwardingServerCall<>(call) {
              @Override
              public void close(Status status, Metadata trailers) {
                events.add("server " + name + " saw " + status.code());
                super.close(status, trailers);
              }
            },
            headers);
      }
    };
  }

  ClientInterceptor recordingClient(String name) {
    return new ClientInterceptor() {
      @Override
      public <ReqT, RespT> dev.strand.client.ClientCall<ReqT, RespT> interceptCall(
          MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next) {
        events.add("client " + name);
        return next.newCall(method, options);
      }
    };
  }

  @Test
  void interceptorsRunInTheOrderAddedAndSeeTheFinalStatus() throws Exception {
    try (Server server =
            Server.builder()
                .address("127.0.0.1", 0)
                .interceptor(recording("first"))
                .interceptor(recording("second"))
                .interceptor(CallLogging.server())
                .service(EchoService.definition())
                .start();
        ManagedChannel channel =
            Channel.to("127.0.0.1", server.port())
                .plaintext()
                .interceptor(recordingClient("first"))
                .interceptor(recordingClient("second"))
                .interceptor(CallLogging.client())
                .build()) {
      assertEquals(
          "echo:x",
          ClientCalls.blockingUnary(channel, EchoService.UNARY, CallOptions.DEFAULT, "x"));
      // close() is called by the innermost first and forwarded outward.
      assertEquals(
          List.of(
              "client first",
              "client second",
              "server first",
              "server second",
              "server second saw OK",
              "server first saw OK"),
          events);
    }
  }

  @Test
  void bearerTokenAuthRejectsBeforeTheHandler() throws Exception {
    try (Server server =
            Server.builder()
                .address("127.0.0.1", 0)
                .interceptor(BearerTokenAuth.server((token, method) -> token.equals("s3cret")))
                .service(EchoService.definition())
                .start();
        ManagedChannel good =
            Channel.to("127.0.0.1", server.port())
                .plaintext()
                .interceptor(BearerTokenAuth.client(() -> "s3cret"))
                .build();
        ManagedChannel bad =
            Channel.to("127.0.0.1", server.port())
                .plaintext()
                .interceptor(BearerTokenAuth.client(() -> "guess"))
                .build();
        ManagedChannel none = Channel.to("127.0.0.1", server.port()).plaintext().build()) {
      assertEquals(
          "echo:x", ClientCalls.blockingUnary(good, EchoService.UNARY, CallOptions.DEFAULT, "x"));
      StatusException invalid =
          assertThrows(
              StatusException.class,
              () -> ClientCalls.blockingUnary(bad, EchoService.UNARY, CallOptions.DEFAULT, "x"));
      assertEquals(Status.Code.UNAUTHENTICATED, invalid.code());
      assertEquals("invalid bearer token", invalid.status().description());
      StatusException missing =
          assertThrows(
              StatusException.class,
              () -> ClientCalls.blockingUnary(none, EchoService.UNARY, CallOptions.DEFAULT, "x"));
      assertEquals("missing bearer token", missing.status().description());
    }
  }
}
