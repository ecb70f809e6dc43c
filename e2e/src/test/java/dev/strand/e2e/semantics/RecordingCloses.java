package dev.strand.e2e.semantics;

import dev.strand.Metadata;
import dev.strand.Status;
import dev.strand.server.ForwardingServerCall;
import dev.strand.server.ServerCall;
import dev.strand.server.ServerCallHandler;
import dev.strand.server.ServerInterceptor;
import java.util.concurrent.BlockingQueue;

/** What a metrics interceptor does: notes the status of every call as its close() sees it. */
final class RecordingCloses implements ServerInterceptor {
  private final BlockingQueue<Status.Code> closes;

  RecordingCloses(BlockingQueue<Status.Code> closes) {
    this.closes = closes;
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    return next.startCall(
        new ForwardingServerCall<>(call) {
          @Override
          public void close(Status status, Metadata trailers) {
            closes.add(status.code());
            super.close(status, trailers);
          }
        },
        headers);
  }
}
