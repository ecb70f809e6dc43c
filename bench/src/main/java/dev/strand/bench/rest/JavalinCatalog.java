package dev.strand.bench.rest;

import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import java.time.Instant;
import java.util.List;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The catalog as a plain REST server, the way one is commonly written without gRPC: Javalin 7 on
 * Jetty, Jackson, records for the JSON, the same paths and the same JSON as Strand's transcoding
 * (int64 as a string, the enum by name, the timestamp in RFC 3339), at Javalin's defaults but for
 * the listen backlog (below).
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

  /** A started server and the port its connector bound. */
  record Running(Javalin app, int port) {}

  static Running start(String host, int port, CatalogData data) {
    List<ItemJson> items = data.items().stream().map(ItemJson::of).toList();
    long firstId = data.items().get(0).getId();
    PageJson fullPage = new PageJson(items);
    ServerConnector[] connector = new ServerConnector[1];
    Javalin app =
        Javalin.create(
            config -> {
              config.jsonMapper(new JavalinJackson());
              // Jetty listens with Java's default backlog of 50: of 64 connections opened at once,
              // the rest would wait a second for a SYN retransmit. Netty (Strand, Armeria) uses
              // the kernel's somaxconn; so does this.
              config.jetty.addConnector(
                  (server, http) -> {
                    connector[0] = new ServerConnector(server, new HttpConnectionFactory(http));
                    connector[0].setHost(host);
                    connector[0].setPort(port);
                    connector[0].setAcceptQueueSize(4096);
                    return connector[0];
                  });
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
            });
    app.start();
    return new Running(app, connector[0].getLocalPort());
  }
}
