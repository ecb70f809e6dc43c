package dev.strand.e2e.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.strand.Metadata;
import dev.strand.MethodDescriptor;
import dev.strand.Status;
import dev.strand.StatusException;
import dev.strand.client.CallOptions;
import dev.strand.client.Channel;
import dev.strand.client.ClientCall;
import dev.strand.client.ClientInterceptor;
import dev.strand.client.ClientInterceptors;
import dev.strand.client.ForwardingClientCall;
import dev.strand.client.ForwardingClientCallListener;
import dev.strand.client.ManagedChannel;
import dev.strand.stub.ClientCalls;
import io.grpc.Contexts;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A chain of Strand client interceptors calling a grpc-java server: each adds a request header and
 * wraps the listener to watch response headers, messages and the final status; another fails calls
 * before anything is sent. Documented order: the first added sees the call first (newCall and
 * start), and sees the responses last (listener events travel back out through the chain).
 */
@Timeout(30)
class ClientInterceptorChainTest {
  private final Peers peers = new Peers();
  private final Events events = new Events();
  private final AtomicInteger serverSaw = new AtomicInteger();
  private int port;

  @BeforeEach
  void start() {
    // Echoes x-a and x-b back as "x-a,x-b" and counts the calls that reach it.
    io.grpc.Metadata.Key<String> a = key("x-a");
    io.grpc.Metadata.Key<String> b = key("x-b");
    io.grpc.Context.Key<String> seen = io.grpc.Context.key("seen");
    ServerServiceDefinition service =
        ServerServiceDefinition.builder(Probe.SERVICE)
            .addMethod(
                Probe.G_UNARY,
                io.grpc.stub.ServerCalls.asyncUnaryCall(
                    (req, responses) -> {
                      serverSaw.incrementAndGet();
                      responses.onNext(Probe.text(seen.get()));
                      responses.onCompleted();
                    }))
            .build();
    port =
        peers
            .grpcServerWith(
                ServerInterceptors.intercept(
                    service,
                    new io.grpc.ServerInterceptor() {
                      @Override
                      public <ReqT, RespT> io.grpc.ServerCall.Listener<ReqT> interceptCall(
                          io.grpc.ServerCall<ReqT, RespT> call,
                          io.grpc.Metadata headers,
                          io.grpc.ServerCallHandler<ReqT, RespT> next) {
                        io.grpc.Context ctx =
                            io.grpc.Context.current()
                                .withValue(seen, headers.get(a) + "," + headers.get(b));
                        return Contexts.interceptCall(ctx, call, headers, next);
                      }
                    }))
            .getPort();
  }

  @AfterEach
  void stop() throws Exception {
    peers.close();
  }

  private static io.grpc.Metadata.Key<String> key(String name) {
    return io.grpc.Metadata.Key.of(name, io.grpc.Metadata.ASCII_STRING_MARSHALLER);
  }

  /** Adds header x-NAME and reports newCall, start and every listener event as "NAME:...". */
  private ClientInterceptor watching(String name) {
    return new ClientInterceptor() {
      @Override
      public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
          MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next) {
        events.add(name + ":newCall");
        return new ForwardingClientCall<>(next.newCall(method, options)) {
          @Override
          public void start(Listener<RespT> listener, Metadata headers) {
            events.add(name + ":start");
            headers.add("x-" + name, name + "-value");
            super.start(
                new ForwardingClientCallListener<>(listener) {
                  @Override
                  public void onHeaders(Metadata h) {
                    events.add(name + ":headers");
                    super.onHeaders(h);
                  }

                  @Override
                  public void onMessage(RespT message) {
                    events.add(name + ":message");
                    super.onMessage(message);
                  }

                  @Override
                  public void onClose(Status status, Metadata trailers) {
                    events.add(name + ":close:" + status.code());
                    super.onClose(status, trailers);
                  }
                },
                headers);
          }
        };
      }
    };
  }

  /** Fails every call with UNAUTHENTICATED before a byte is sent. */
  private final ClientInterceptor refuseAll =
      new ClientInterceptor() {
        @Override
        public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
            MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next) {
          return new ClientCall<>() {
            @Override
            public void start(Listener<RespT> listener, Metadata headers) {
              listener.onClose(
                  Status.UNAUTHENTICATED.withDescription("no credentials yet"), new Metadata());
            }

            @Override
            public void request(int n) {}

            @Override
            public void sendMessage(ReqT message) {}

            @Override
            public void halfClose() {}

            @Override
            public void cancel(String message, Throwable cause) {}

            @Override
            public void setMessageCompression(boolean enabled) {}

            @Override
            public boolean isReady() {
              return false;
            }
          };
        }
      };

  private static byte[] call(Channel channel) {
    return ClientCalls.blockingUnary(
        channel,
        Probe.UNARY,
        CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(10)),
        Probe.text("x"));
  }

  @Test
  void interceptorsAddHeadersAndSeeEventsInTheDocumentedOrder() throws Exception {
    ManagedChannel channel =
        peers.start(
            Peers.strandChannel(port).interceptor(watching("a")).interceptor(watching("b")));
    assertEquals("a-value,b-value", Probe.text(call(channel)));
    assertEquals(
        List.of(
            "a:newCall",
            "b:newCall",
            "a:start",
            "b:start",
            "b:headers",
            "a:headers",
            "b:message",
            "a:message",
            "b:close:OK",
            "a:close:OK"),
        events.all());
  }

  @Test
  void interceptorsAddedAtACallSiteRunBeforeTheChannels() throws Exception {
    ManagedChannel channel = peers.start(Peers.strandChannel(port).interceptor(watching("b")));
    call(ClientInterceptors.intercept(channel, watching("a")));
    assertEquals(
        List.of("a:newCall", "b:newCall", "a:start", "b:start"), events.all().subList(0, 4));
  }

  @Test
  void anInterceptorCanFailACallBeforeItIsSent() throws Exception {
    ManagedChannel channel =
        peers.start(Peers.strandChannel(port).interceptor(watching("a")).interceptor(refuseAll));
    StatusException e = assertThrows(StatusException.class, () -> call(channel));
    assertEquals(Status.Code.UNAUTHENTICATED, e.code());
    assertEquals("no credentials yet", e.status().description());
    assertEquals(List.of("a:newCall", "a:start", "a:close:UNAUTHENTICATED"), events.all());
    assertEquals(0, serverSaw.get(), "the refused call reached the server");
  }
}
