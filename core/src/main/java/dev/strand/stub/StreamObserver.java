package dev.strand.stub;

/** Receives a stream of values asynchronously: the async stub style. */
public interface StreamObserver<T> {
  void onNext(T value);

  /** The stream failed; no more calls follow. A StatusException carries the status to send. */
  void onError(Throwable error);

  /** The stream ended normally; no more calls follow. */
  void onCompleted();
}
