package dev.strand.stub;

/**
 * A bidirectional call in progress: send requests and read responses from any threads. Call {@link
 * #halfClose()} when done sending; responses keep arriving after it.
 */
public interface BidiStreamCall<ReqT, RespT> extends StreamSink<ReqT>, StreamSource<RespT> {

  /** No more requests will be sent. */
  void halfClose();

  void cancel(String reason);
}
