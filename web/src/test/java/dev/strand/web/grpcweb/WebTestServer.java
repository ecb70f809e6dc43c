package dev.strand.web.grpcweb;

import dev.strand.Metadata;
import dev.strand.Status;
import dev.strand.interop.TestServiceImpl;
import dev.strand.server.ForwardingServerCall;
import dev.strand.server.Server;
import dev.strand.server.ServerBuilder;
import dev.strand.server.ServerCall;
import dev.strand.server.ServerCallHandler;
import dev.strand.server.ServerInterceptor;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A Strand server on loopback serving grpc.testing.TestService, with nothing web-specific in its
 * setup: strand-web is on the test's path, so it serves gRPC-Web too. An interceptor marks each
 * call's response headers, fails calls that ask it to, and records how calls ended.
 */
public final class WebTestServer implements AutoCloseable {
  /** A request carrying this header fails in the interceptor, as a handler's bug would. */
  public static final String THROW_HEADER = "x-test-throw";

  public static final String INTERCEPTED_HEADER = "x-intercepted";
  public static final int MAX_MESSAGE_SIZE = 1024 * 1024;

  /** "method status-code", one per call that ended, as the interceptor saw it. */
  public final List<String> closed = new CopyOnWriteArrayList<>();

  private final Server server;

  public WebTestServer() throws IOException {
    this(builder -> {});
  }

  /** {@code setup} adds to the server's builder: TLS, compression. */
  public WebTestServer(Consumer<ServerBuilder> setup) throws IOException {
    ServerBuilder builder =
        Server.builder()
            .address("127.0.0.1", 0)
            .service(new TestServiceImpl())
            .interceptor(new MarkingInterceptor())
            .maxInboundMessageSize(MAX_MESSAGE_SIZE);
    setup.accept(builder);
    server = builder.start();
  }

  public int port() {
    return server.port();
  }

  public String baseUrl(boolean tls) {
    return (tls ? "https" : "http") + "://127.0.0.1:" + port();
  }

  @Override
  public void close() {
    server.close();
  }

  private final class MarkingInterceptor implements ServerInterceptor {
    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
        ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
      String method = call.method().fullName();
      if (headers.containsKey(THROW_HEADER)) {
        throw new IllegalStateException("a bug that must not leak: " + headers.get(THROW_HEADER));
      }
      return next.startCall(
          new ForwardingServerCall<>(call) {
            @Override
            public void sendHeaders(Metadata responseHeaders) {
              Metadata marked = responseHeaders == null ? new Metadata() : responseHeaders;
              marked.put(INTERCEPTED_HEADER, method);
              super.sendHeaders(marked);
            }

            @Override
            public void close(Status status, Metadata trailers) {
              closed.add(method + " " + status.code().value());
              super.close(status, trailers);
            }
          },
          headers);
    }
  }
}
