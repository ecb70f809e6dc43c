package dev.strand.bench.rest;

import dev.strand.stub.CallStreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The catalog on Strand, as async handlers on the event loop (the side-by-side benchmark's fastest
 * setting). Strand serves it as gRPC, Connect and, from restbench.proto's rules, REST/JSON.
 */
final class StrandCatalog implements Catalog.Async {
  private final CatalogData data;

  StrandCatalog(CatalogData data) {
    this.data = data;
  }

  @Override
  public CompletionStage<Item> getItem(GetItemRequest request) {
    return CompletableFuture.completedFuture(data.item(request.getId()));
  }

  @Override
  public CompletionStage<ListItemsResponse> listItems(ListItemsRequest request) {
    return CompletableFuture.completedFuture(data.page(request.getPageSize()));
  }

  @Override
  public CompletionStage<Item> createItem(CreateItemRequest request) {
    return CompletableFuture.completedFuture(request.getItem());
  }

  @Override
  public void watchItem(WatchItemRequest request, CallStreamObserver<Item> responses) {
    new ItemUpdates(data.item(request.getId()), request.getCount(), responses).start();
  }
}
