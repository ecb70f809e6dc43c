package dev.strand.e2e.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.strand.Metadata;
import dev.strand.Status;
import dev.strand.server.ForwardingServerCall;
import dev.strand.server.ForwardingServerCallListener;
import dev.strand.server.ServerCall;
import dev.strand.server.ServerCallHandler;
import dev.strand.server.ServerInterceptor;
import dev.strand.server.ServiceDefinition;
import dev.strand.stub.ServerCalls;
import dev.strand.stub.ServerContext;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A chain of Strand server interceptors serving a grpc-java client: "first" reads a header, adds a
 * response header and a trailer, and sees the final status; "second" rejects calls without x-allow
 * before the handler runs and wraps the listener; "third" is the service's own. They run in the
 * documented order: server interceptors in the order added, then the service's, then the handler;
 * close() passes through them innermost first.
 */
@Timeout(30)
class ServerInterceptorChainTest {
  private static final io.grpc.Metadata.Key<String> ALLOW =
      io.grpc.Metadata.Key.of("x-allow", io.grpc.Metadata.ASCII_STRING_MARSHALLER);
  private static final io.grpc.Metadata.Key<String> USER =
      io.grpc.Metadata.Key.of("x-user", io.grpc.Metadata.ASCII_STRING_MARSHALLER);

  private final Peers peers = new Peers();
  private final Events events = new Events();
  private io.grpc.ManagedChannel channel;

  /** Adds a response header and a trailer, and notes how the call ended. */
  private final ServerInterceptor first =
      new ServerInterceptor() {
        @Override
        public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
            ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
          events.add("first:start user=" + headers.get("x-user"));
          return next.startCall(
              new ForwardingServerCall<>(call) {
                @Override
                public void sendHeaders(Metadata responseHeaders) {
                  responseHeaders.add("x-seen-by", "first");
                  super.sendHeaders(responseHeaders);
                }

                @Override
                public void close(Status status, Metadata trailers) {
                  events.add("first:close:" + status.code());
                  trailers.add("x-first", "done");
                  super.close(status, trailers);
                }
              },
              headers);
        }
      };

  /** Turns away calls without x-allow; watches what arrives for those it lets in. */
  private final ServerInterceptor second =
      new ServerInterceptor() {
        @Override
        public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
            ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
          events.add("second:start");
          if (headers.get("x-allow") == null) {
            call.close(Status.PERMISSION_DENIED.withDescription("no x-allow"), new Metadata());
            return new ServerCall.Listener<>() {
              @Override
              public void onComplete() {
                events.add("second:rejected:complete"); // the call's last event
              }
            };
          }
          return new ForwardingServerCallListener<>(next.startCall(call, headers)) {
            @Override
            public void onMessage(ReqT message) {
              events.add("second:message");
              super.onMessage(message);
            }

            @Override
            public void onHalfClose() {
              events.add("second:halfClose");
              super.onHalfClose();
            }

            @Override
            public void onComplete() {
              events.add("second:complete");
              super.onComplete();
            }
          };
        }
      };

  private final ServerInterceptor third =
      new ServerInterceptor() {
        @Override
        public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
            ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
          events.add("third:start");
          return next.startCall(
              new ForwardingServerCall<>(call) {
                @Override
                public void close(Status status, Metadata trailers) {
                  events.add("third:close:" + status.code());
                  super.close(status, trailers);
                }
              },
              headers);
        }
      };

  @BeforeEach
  void start() throws Exception {
    ServiceDefinition service =
        ServiceDefinition.builder(Probe.SERVICE)
            .method(
                Probe.UNARY,
                ServerCalls.unary(
                    req -> {
                      events.add("handler");
                      return Probe.text(ServerContext.current().requestHeaders().get("x-user"));
                    }))
            .build();
    int port =
        peers
            .start(
                Peers.strandServer()
                    .interceptor(first)
                    .interceptor(second)
                    .service(service.intercept(third)))
            .port();
    channel = peers.grpcChannelTo(port);
  }

  @AfterEach
  void stop() throws Exception {
    peers.close();
  }

  private byte[] call(
      io.grpc.Metadata headers,
      AtomicReference<io.grpc.Metadata> responseHeaders,
      AtomicReference<io.grpc.Metadata> trailers) {
    io.grpc.Channel intercepted =
        io.grpc.ClientInterceptors.intercept(
            channel,
            io.grpc.stub.MetadataUtils.newCaptureMetadataInterceptor(responseHeaders, trailers),
            io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(headers));
    return io.grpc.stub.ClientCalls.blockingUnaryCall(
        intercepted,
        Probe.G_UNARY,
        io.grpc.CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
        Probe.text("x"));
  }

  @Test
  void anAcceptedCallPassesEveryInterceptorInTheDocumentedOrder() throws Exception {
    io.grpc.Metadata headers = new io.grpc.Metadata();
    headers.put(ALLOW, "yes");
    headers.put(USER, "ada");
    AtomicReference<io.grpc.Metadata> responseHeaders = new AtomicReference<>();
    AtomicReference<io.grpc.Metadata> trailers = new AtomicReference<>();
    assertEquals("ada", Probe.text(call(headers, responseHeaders, trailers)));
    events.await("second:complete", 5000);
    assertEquals(
        List.of(
            "first:start user=ada",
            "second:start",
            "third:start",
            "second:message",
            "second:halfClose",
            "handler",
            "third:close:OK",
            "first:close:OK",
            "second:complete"),
        events.all());
    assertEquals(
        "first",
        responseHeaders
            .get()
            .get(io.grpc.Metadata.Key.of("x-seen-by", io.grpc.Metadata.ASCII_STRING_MARSHALLER)));
    assertEquals(
        "done",
        trailers
            .get()
            .get(io.grpc.Metadata.Key.of("x-first", io.grpc.Metadata.ASCII_STRING_MARSHALLER)));
  }

  @Test
  void aRejectedCallNeverReachesTheHandler() throws Exception {
    AtomicReference<io.grpc.Metadata> trailers = new AtomicReference<>();
    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class,
            () -> call(new io.grpc.Metadata(), new AtomicReference<>(), trailers));
    assertEquals(io.grpc.Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
    assertEquals("no x-allow", e.getStatus().getDescription());
    // The interceptor in front of the one that said no still saw the outcome; once the call is
    // complete, nothing else of it can come, and nothing behind "second" ever saw it.
    events.await("second:rejected:complete", 5000);
    assertEquals(
        List.of(
            "first:start user=null",
            "second:start",
            "first:close:PERMISSION_DENIED",
            "second:rejected:complete"),
        events.all());
    assertEquals(
        "done",
        io.grpc.Status.trailersFromThrowable(e)
            .get(io.grpc.Metadata.Key.of("x-first", io.grpc.Metadata.ASCII_STRING_MARSHALLER)));
  }
}
