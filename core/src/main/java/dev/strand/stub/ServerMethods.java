package dev.strand.stub;

import java.util.concurrent.CompletionStage;

/** The shapes of handler a service method can take, blocking and async. */
public final class ServerMethods {
  private ServerMethods() {}

  /** A plain blocking unary method. */
  @FunctionalInterface
  public interface Unary<ReqT, RespT> {
    RespT invoke(ReqT request) throws Exception;
  }

  /** A blocking server-streaming method: returns when the stream is complete. */
  @FunctionalInterface
  public interface ServerStreaming<ReqT, RespT> {
    void invoke(ReqT request, StreamSink<RespT> responses) throws Exception;
  }

  /** A blocking client-streaming method: reads every request, returns the one response. */
  @FunctionalInterface
  public interface ClientStreaming<ReqT, RespT> {
    RespT invoke(StreamSource<ReqT> requests) throws Exception;
  }

  /** A blocking bidi method: reads and writes as it likes; returning completes the call. */
  @FunctionalInterface
  public interface BidiStreaming<ReqT, RespT> {
    void invoke(StreamSource<ReqT> requests, StreamSink<RespT> responses) throws Exception;
  }

  /** An async unary method; runs on the event loop and must not block. */
  @FunctionalInterface
  public interface AsyncUnary<ReqT, RespT> {
    CompletionStage<RespT> invoke(ReqT request);
  }

  /** An async server-streaming method; runs on the event loop and must not block. */
  @FunctionalInterface
  public interface AsyncServerStreaming<ReqT, RespT> {
    void invoke(ReqT request, CallStreamObserver<RespT> responses);
  }

  /** An async client-streaming or bidi method: returns the observer of the requests. */
  @FunctionalInterface
  public interface AsyncStreaming<ReqT, RespT> {
    StreamObserver<ReqT> invoke(CallStreamObserver<RespT> responses);
  }
}
