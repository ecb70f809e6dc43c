package dev.strand.e2e.docs;

import dev.strand.client.Channel;
import dev.strand.client.ManagedChannel;
import dev.strand.client.WireProtocol;
import dev.strand.server.Cors;
import dev.strand.server.Server;
import dev.strand.server.ServiceDefinition;
import java.io.IOException;
import java.time.Duration;

/** The code of docs/WEB.md; see {@link DeadlineSnippets} for how it is kept honest. */
final class WebSnippets {

  static Server corsServer(ServiceDefinition greeter) throws IOException {
    // snippet:start cors-server
    Server server =
        Server.builder()
            .address("127.0.0.1", 0)
            .service(greeter)
            .cors(
                Cors.allowOrigins("https://app.example", "http://localhost:5173")
                    .allowHeaders("authorization", "x-request-id") // the page's own metadata
                    .exposeHeaders("x-request-id") // response metadata the page may read
                    .maxAge(Duration.ofHours(1)))
            .start();
    // snippet:end cors-server
    return server;
  }

  /** Only compiled: building it needs strand-web, which this module does not have. */
  static ManagedChannel webChannel() {
    // snippet:start web-channel
    ManagedChannel channel =
        Channel.to("api.example.com:443")
            .protocol(WireProtocol.CONNECT) // or WireProtocol.GRPC_WEB
            .build(); // TLS by default, as for gRPC
    // snippet:end web-channel
    return channel;
  }
}
