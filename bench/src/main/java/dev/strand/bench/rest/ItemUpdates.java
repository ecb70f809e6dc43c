package dev.strand.bench.rest;

import com.google.protobuf.Timestamp;
import dev.strand.stub.CallStreamObserver;

/**
 * {@code count} versions of one item down a server stream, each a second newer than the last, sent
 * while the transport is ready and resumed when it says so (memory stays bounded however slowly the
 * client reads).
 */
final class ItemUpdates {
  private final Item item;
  private final int count;
  private final CallStreamObserver<Item> responses;
  private int sent;

  ItemUpdates(Item item, int count, CallStreamObserver<Item> responses) {
    this.item = item;
    this.count = count;
    this.responses = responses;
  }

  void start() {
    responses.setOnReadyHandler(this::pump);
    pump();
  }

  private void pump() {
    while (sent < count && responses.isReady() && !responses.isCancelled()) {
      responses.onNext(version(item, sent++));
    }
    if (sent == count) {
      sent++; // completed once, whatever on-ready calls come after
      responses.onCompleted();
    }
  }

  static Item version(Item item, int n) {
    Timestamp t = item.getUpdateTime();
    return item.toBuilder()
        .setUpdateTime(t.toBuilder().setSeconds(t.getSeconds() + n + 1L))
        .build();
  }
}
