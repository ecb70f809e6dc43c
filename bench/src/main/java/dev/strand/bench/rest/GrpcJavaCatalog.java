package dev.strand.bench.rest;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

/** The same catalog on grpc-java, for Armeria's transcoding to serve. */
final class GrpcJavaCatalog extends CatalogGrpc.CatalogImplBase {
  private final CatalogData data;

  GrpcJavaCatalog(CatalogData data) {
    this.data = data;
  }

  @Override
  public void getItem(GetItemRequest request, StreamObserver<Item> responses) {
    responses.onNext(data.item(request.getId()));
    responses.onCompleted();
  }

  @Override
  public void listItems(ListItemsRequest request, StreamObserver<ListItemsResponse> responses) {
    responses.onNext(data.page(request.getPageSize()));
    responses.onCompleted();
  }

  @Override
  public void createItem(CreateItemRequest request, StreamObserver<Item> responses) {
    responses.onNext(request.getItem());
    responses.onCompleted();
  }

  @Override
  public void watchItem(WatchItemRequest request, StreamObserver<Item> responses) {
    ServerCallStreamObserver<Item> out = (ServerCallStreamObserver<Item>) responses;
    Item item = data.item(request.getId());
    int[] sent = {0};
    // Send while ready, as Strand's handler does.
    out.setOnReadyHandler(
        () -> {
          while (sent[0] < request.getCount() && out.isReady() && !out.isCancelled()) {
            out.onNext(ItemUpdates.version(item, sent[0]++));
          }
          if (sent[0] == request.getCount()) {
            sent[0]++;
            out.onCompleted();
          }
        });
  }
}
