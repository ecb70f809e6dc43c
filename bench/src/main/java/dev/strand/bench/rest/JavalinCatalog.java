package dev.strand.bench.rest;

import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import java.time.Instant;
import java.util.List;

/**
 * The catalog as a plain REST server, the way one is commonly written without gRPC: Javalin 7 on
 * Jetty, Jackson, records for the JSON, the same paths and the same JSON as Strand's transcoding
 * (int64 as a string, the enum by name, the timestamp in RFC 3339), all left at Javalin's defaults.
 */
final class JavalinCatalog {
  /** One item as JSON; the field names are proto3 JSON's lowerCamelCase ones. */
  record ItemJson(
      String id, String name, String kind, double price, String updateTime, String description) {
    static ItemJson of(Item item) {
      Instant t = Instant.ofEpochSecond(item.getUpdateTime().getSeconds());
      return new ItemJson(
          Long.toString(item.getId()),
          item.getName(),
          item.getKind().name(),
          item.getPrice(),
          t.toString(),
          item.getDescription());
    }
  }

  record PageJson(List<ItemJson> items) {}

  private JavalinCatalog() {}

  static Javalin start(String host, int port, CatalogData data) {
    List<ItemJson> items = data.items().stream().map(ItemJson::of).toList();
    long firstId = data.items().get(0).getId();
    PageJson fullPage = new PageJson(items);
    return Javalin.create(
            config -> {
              config.jsonMapper(new JavalinJackson());
              config.routes.get(
                  "/v1/items/{id}",
                  ctx -> {
                    long index = Long.parseLong(ctx.pathParam("id")) - firstId;
                    ctx.json(items.get(index >= 0 && index < items.size() ? (int) index : 0));
                  });
              config.routes.get(
                  "/v1/items",
                  ctx -> {
                    String size = ctx.queryParam("page_size");
                    int n = size == null ? 0 : Integer.parseInt(size);
                    ctx.json(
                        n <= 0 || n >= items.size() ? fullPage : new PageJson(items.subList(0, n)));
                  });
              config.routes.post("/v1/items", ctx -> ctx.json(ctx.bodyAsClass(ItemJson.class)));
            })
        .start(host, port);
  }
}
