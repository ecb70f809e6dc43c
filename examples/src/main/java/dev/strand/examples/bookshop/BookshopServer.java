package dev.strand.examples.bookshop;

import dev.strand.server.Server;
import java.io.IOException;
import java.time.Duration;

/**
 * The bookshop as gRPC and as REST/JSON on one port: strand-web is on the class path, so the
 * service's google.api.http rules are served with no more code than this.
 *
 * <pre>
 * curl http://localhost:8080/v1/shelves/fiction/books?page_size=2
 * curl -X POST -d '{"title":"Kindred","author":"Octavia E. Butler"}' \
 *     http://localhost:8080/v1/shelves/fiction/books
 * </pre>
 */
public final class BookshopServer {
  private BookshopServer() {}

  public static Server start(String host, int port) throws IOException {
    return Server.builder().address(host, port).service(BookshopService.withSampleBooks()).start();
  }

  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
    try (Server server = start("0.0.0.0", port)) {
      System.out.println(
          "Bookshop on "
              + server.port()
              + ": gRPC and REST (curl "
              + "http://localhost:"
              + server.port()
              + "/v1/shelves/fiction/books)");
      server.awaitTermination(Duration.ofDays(365));
    }
  }
}
