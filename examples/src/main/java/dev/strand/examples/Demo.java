package dev.strand.examples;

import dev.strand.client.Channel;
import dev.strand.client.ManagedChannel;
import dev.strand.examples.routeguide.Features;
import dev.strand.examples.routeguide.RouteGuideClient;
import dev.strand.examples.routeguide.RouteGuideServer;
import dev.strand.server.Server;

/**
 * {@code ./strand demo}: starts a RouteGuide server on localhost, runs a client through unary,
 * server-streaming, client-streaming and bidi calls, and prints what happened.
 */
public final class Demo {
  private Demo() {}

  public static void main(String[] args) throws Exception {
    System.out.println("Strand demo: RouteGuide over HTTP/2 on localhost");
    System.out.println("  java " + Runtime.version());
    try (Server server = RouteGuideServer.start("127.0.0.1", 0);
        ManagedChannel channel = Channel.to("127.0.0.1", server.port()).plaintext().build()) {
      System.out.println("  " + server); // where it listens, its transport, where handlers run
      RouteGuideClient client = new RouteGuideClient(channel, System.out);
      System.out.println("1. unary");
      var features = Features.load();
      var first = features.get(0).getLocation();
      client.getFeature(first.getLatitude(), first.getLongitude());
      client.getFeature(0, 0);
      System.out.println("2. server streaming");
      client.listFeatures(
          dev.strand.examples.routeguide.Rectangle.newBuilder()
              .setLo(
                  dev.strand.examples.routeguide.Point.newBuilder()
                      .setLatitude(400000000)
                      .setLongitude(-750000000))
              .setHi(
                  dev.strand.examples.routeguide.Point.newBuilder()
                      .setLatitude(420000000)
                      .setLongitude(-730000000))
              .build());
      System.out.println("3. client streaming");
      client.recordRoute(features, 10, 42);
      System.out.println("4. bidirectional streaming");
      client.routeChat();
    }
    System.out.println("Done: all four call shapes worked. Server stopped.");
  }
}
