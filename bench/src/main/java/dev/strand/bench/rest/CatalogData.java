package dev.strand.bench.rest;

import com.google.protobuf.Timestamp;
import java.util.ArrayList;
import java.util.List;

/**
 * The catalog every server answers from: the same 100 items, built once, so each protocol and each
 * server sends the same data. A description of about 250 characters makes the 100-item page a few
 * tens of KiB of JSON, a realistic "list" response, while one item stays under half a KiB.
 */
final class CatalogData {
  static final int SIZE = 100;
  private static final long FIRST_UPDATE_SECONDS = 1_767_225_600L; // 2026-01-01T00:00:00Z
  private static final String DESCRIPTION =
      "A catalog entry with a paragraph of text, the way product, article or ticket APIs carry "
          + "one: a title is never the whole record, and a page of records is mostly such prose. "
          + "It is plain ASCII so JSON and protobuf carry it byte for byte the same.";

  private final List<Item> items = new ArrayList<>(SIZE);
  private final ListItemsResponse fullPage;

  CatalogData() {
    Item.Kind[] kinds = {Item.Kind.BOOK, Item.Kind.MUSIC, Item.Kind.GAME};
    ListItemsResponse.Builder page = ListItemsResponse.newBuilder();
    for (int i = 0; i < SIZE; i++) {
      Item item =
          Item.newBuilder()
              .setId(1_000_000_000_000L + i) // past 2^32, so int64's JSON form (a string) matters
              .setName("Item number " + (i + 1))
              .setKind(kinds[i % kinds.length])
              .setPrice(4.5 + i)
              .setUpdateTime(Timestamp.newBuilder().setSeconds(FIRST_UPDATE_SECONDS + 3600L * i))
              .setDescription(DESCRIPTION)
              .build();
      items.add(item);
      page.addItems(item);
    }
    fullPage = page.build();
  }

  /** The item with this id, or the first one for an id not in the catalog (never an error). */
  Item item(long id) {
    long index = id - items.get(0).getId();
    return items.get(index >= 0 && index < SIZE ? (int) index : 0);
  }

  /** The first {@code size} items (all of them for 0 or more than there are). */
  ListItemsResponse page(int size) {
    if (size <= 0 || size >= SIZE) {
      return fullPage;
    }
    return ListItemsResponse.newBuilder().addAllItems(items.subList(0, size)).build();
  }

  /** The id every benchmark request asks for. */
  static long sampleId() {
    return 1_000_000_000_042L;
  }

  List<Item> items() {
    return items;
  }
}
