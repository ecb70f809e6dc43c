package dev.strand.server;

import dev.strand.Deadline;
import dev.strand.Metadata;
import dev.strand.MethodDescriptor;
import dev.strand.Status;

/**
 * The server's side of one call: the low-level, event-driven API that every handler style is built
 * on. Methods are thread-safe. Listener callbacks arrive one at a time on the connection's event
 * loop and must not block; the stub layer hands blocking work to other threads.
 */
public interface ServerCall<ReqT, RespT> {

  MethodDescriptor<ReqT, RespT> method();

  /** Asks for up to {@code n} more request messages; nothing is delivered until requested. */
  void request(int n);

  /** Sends response headers; optional, the first message sends empty ones if not called. */
  void sendHeaders(Metadata headers);

  /** Queues one response message. Check {@link #isReady()} to avoid buffering without bound. */
  void sendMessage(RespT message);

  /** Ends the call with a status and trailers. Later calls to send are ignored. */
  void close(Status status, Metadata trailers);

  /**
   * True while the transport can take more messages without buffering much. When it turns true
   * again the listener's {@link Listener#onReady()} is called.
   */
  boolean isReady();

  boolean isCancelled();

  /** Compress responses with this encoding (must be registered), or "identity". */
  void setCompression(String encoding);

  /**
   * Whether the messages sent from now on are compressed (with the call's encoding, if any).
   * Default true; turn it off for a message that would not shrink, or is sensitive to it.
   */
  void setMessageCompression(boolean enabled);

  /**
   * Where blocking handler code for this call should run: a virtual thread per task on Java 21+,
   * the server's bounded pool on Java 17, or whatever the server was configured with.
   */
  java.util.concurrent.Executor blockingExecutor();

  /** Facts about the peer and the call: its address, TLS session, deadline and authority. */
  CallInfo info();

  /** Receives the events of one call. Every method has an empty default. */
  abstract class Listener<ReqT> {
    public void onMessage(ReqT message) {}

    /** The client will send no more messages. */
    public void onHalfClose() {}

    /** The call was cancelled by the client, its deadline, or the connection going away. */
    public void onCancel() {}

    /** The call finished normally: its status was sent. */
    public void onComplete() {}

    public void onReady() {}
  }

  /** What a handler may want to know about the call it is serving. */
  interface CallInfo {
    java.net.SocketAddress remoteAddress();

    java.net.SocketAddress localAddress();

    /** The TLS session, or null over plaintext. With mTLS it holds the client's certificates. */
    javax.net.ssl.SSLSession sslSession();

    /** The request's deadline, or null if the client set none. */
    Deadline deadline();

    String authority();

    /** Every service of the server serving this call: what server reflection describes. */
    java.util.List<dev.strand.server.ServiceDefinition> services();

    /** How this server turns a handler's exception into the status the client sees. */
    ExceptionMapper exceptionMapper();

    /**
     * The protocol the call came in on: {@value #GRPC}, or another that a module brings ({@code
     * "grpc-web"}, {@code "connect"}), for a handler or interceptor that must tell them apart.
     */
    default String protocol() {
      return GRPC;
    }

    /** The name {@link #protocol()} gives for gRPC itself. */
    String GRPC = "grpc";

    /**
     * What the server's call tracer ({@code ServerBuilder.tracer}) returned for this call, or null:
     * how an interceptor finds the tracer's view of the call it intercepts (the span a tracing
     * tracer started, to make it current in the handler).
     */
    default dev.strand.spi.ServerCallTracer.Call tracerCall() {
      return null;
    }
  }
}
