package dev.strand.web.transcoding;

import dev.strand.Metadata;
import dev.strand.MethodDescriptor;
import dev.strand.Status;
import dev.strand.server.ForwardingServerCall;
import dev.strand.server.Server;
import dev.strand.server.ServerBuilder;
import dev.strand.server.ServerCall;
import dev.strand.server.ServerCallHandler;
import dev.strand.server.ServerInterceptor;
import dev.strand.spi.ServerCallTracer;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A Strand server on loopback serving {@link LibraryService}, nothing transcoding-specific in its
 * setup: strand-web is on the path. Its interceptor records each call's metadata and end, and
 * answers {@code x-reply-header} / {@code x-reply-trailer} request headers with response metadata.
 */
final class LibraryServer implements AutoCloseable {
  static final int MAX_MESSAGE_SIZE = 64 * 1024;

  /** "method status-code", one per call that ended, as the interceptor saw it. */
  final List<String> closed = new CopyOnWriteArrayList<>();

  final AtomicReference<Metadata> lastHeaders = new AtomicReference<>();

  /** What the server's call tracer saw: "method event", in order. */
  final List<String> traced = new CopyOnWriteArrayList<>();

  private final Server server;

  LibraryServer() throws IOException {
    this(builder -> {});
  }

  /** {@code setup} adds to the server's builder (CORS, say). */
  LibraryServer(Consumer<ServerBuilder> setup) throws IOException {
    ServerBuilder builder =
        Server.builder()
            .address("127.0.0.1", 0)
            .service(new LibraryService())
            .interceptor(new RecordingInterceptor())
            .maxInboundMessageSize(MAX_MESSAGE_SIZE)
            .tracer(new RecordingTracer());
    setup.accept(builder);
    server = builder.start();
  }

  int port() {
    return server.port();
  }

  String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  @Override
  public void close() {
    server.close();
  }

  private final class RecordingTracer implements ServerCallTracer {
    @Override
    public Call callStarted(MethodDescriptor<?, ?> method, Metadata requestHeaders) {
      String name = method.methodName();
      traced.add(name + " started");
      return new Call() {
        @Override
        public void inboundMessage(int wireSize) {
          traced.add(name + " in " + wireSize);
        }

        @Override
        public void outboundMessage(int wireSize) {
          traced.add(name + " out " + wireSize);
        }

        @Override
        public void closed(Status status, Metadata trailers) {
          traced.add(name + " closed " + status.code().value());
        }
      };
    }
  }

  private final class RecordingInterceptor implements ServerInterceptor {
    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
        ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
      String method = call.method().fullName();
      lastHeaders.set(headers);
      String replyHeader = headers.get("x-reply-header");
      String replyTrailer = headers.get("x-reply-trailer");
      return next.startCall(
          new ForwardingServerCall<>(call) {
            @Override
            public void sendHeaders(Metadata responseHeaders) {
              Metadata out = responseHeaders == null ? new Metadata() : responseHeaders;
              if (replyHeader != null) {
                out.put("x-header", replyHeader);
              }
              super.sendHeaders(out);
            }

            @Override
            public void close(Status status, Metadata trailers) {
              closed.add(method + " " + status.code().value());
              Metadata out = trailers == null ? new Metadata() : trailers;
              if (replyTrailer != null) {
                out.put("x-trailer", replyTrailer);
              }
              super.close(status, out);
            }
          },
          headers);
    }
  }
}
