package dev.strand.bench.rest;

import com.google.protobuf.Message;

/** The calls measured, each the same request whichever protocol carries it. */
enum Scenario {
  /** GetItem: one item, about 370 bytes of JSON. */
  SMALL("small", "GetItem", "/v1/items/" + CatalogData.sampleId(), false),
  /** ListItems with page_size=100: about 37 KB of JSON. */
  LARGE("large", "ListItems", "/v1/items?page_size=" + CatalogData.SIZE, false),
  /** CreateItem: a POST with one item as its JSON body, answered with the item. */
  CREATE("create", "CreateItem", "/v1/items", true);

  final String label;
  final String rpc;
  final String restPath;
  final boolean restPost;

  Scenario(String label, String rpc, String restPath, boolean restPost) {
    this.label = label;
    this.rpc = rpc;
    this.restPath = restPath;
    this.restPost = restPost;
  }

  /** The gRPC / Connect request message. */
  Message request(CatalogData data) {
    return switch (this) {
      case SMALL -> GetItemRequest.newBuilder().setId(CatalogData.sampleId()).build();
      case LARGE -> ListItemsRequest.newBuilder().setPageSize(CatalogData.SIZE).build();
      case CREATE ->
          CreateItemRequest.newBuilder().setItem(data.item(CatalogData.sampleId())).build();
    };
  }

  /** The REST request body (the rule's {@code body: "item"}), for a POST. */
  Message restBody(CatalogData data) {
    return data.item(CatalogData.sampleId());
  }
}
