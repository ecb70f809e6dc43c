package dev.strand.stub;

import java.util.concurrent.CompletableFuture;

/** A client-streaming call in progress: send requests, then finish to get the one response. */
public interface ClientStreamCall<ReqT, RespT> extends StreamSink<ReqT> {

  /** Half-closes and waits for the response; throws StatusException if the call failed. */
  RespT finish();

  /** Half-closes; the future completes with the response or the StatusException. */
  CompletableFuture<RespT> finishAsync();

  void cancel(String reason);
}
