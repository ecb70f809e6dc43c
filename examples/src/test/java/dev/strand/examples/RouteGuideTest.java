package dev.strand.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.client.Channel;
import dev.strand.client.ManagedChannel;
import dev.strand.examples.helloworld.Greeter;
import dev.strand.examples.helloworld.GreeterService;
import dev.strand.examples.helloworld.HelloRequest;
import dev.strand.examples.routeguide.Feature;
import dev.strand.examples.routeguide.Features;
import dev.strand.examples.routeguide.Point;
import dev.strand.examples.routeguide.Rectangle;
import dev.strand.examples.routeguide.RouteGuide;
import dev.strand.examples.routeguide.RouteGuideClient;
import dev.strand.examples.routeguide.RouteGuideServer;
import dev.strand.examples.routeguide.RouteSummary;
import dev.strand.server.Server;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The examples work end to end through their generated stubs. */
class RouteGuideTest {
  static Server server;
  static ManagedChannel channel;
  static List<Feature> features;

  @BeforeAll
  static void start() throws Exception {
    features = Features.load();
    server = RouteGuideServer.start("127.0.0.1", 0);
    channel = Channel.to("127.0.0.1", server.port()).plaintext().build();
  }

  @AfterAll
  static void stop() {
    channel.close();
    server.close();
  }

  @Test
  void databaseLoads() {
    assertEquals(100, features.size());
  }

  @Test
  void allFourShapes() {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    RouteGuideClient client =
        new RouteGuideClient(channel, new PrintStream(log, true, StandardCharsets.UTF_8));
    Point first = features.get(0).getLocation();
    assertEquals(
        features.get(0).getName(),
        client.getFeature(first.getLatitude(), first.getLongitude()).getName());
    assertFalse(Features.exists(client.getFeature(0, 0)));
    long named = features.stream().filter(Features::exists).count();
    assertEquals(
        named,
        client.listFeatures(
            Rectangle.newBuilder()
                .setLo(Point.newBuilder().setLatitude(400000000).setLongitude(-750000000))
                .setHi(Point.newBuilder().setLatitude(420000000).setLongitude(-730000000))
                .build()));
    RouteSummary summary = client.recordRoute(features, 10, 7);
    assertEquals(10, summary.getPointCount());
    assertTrue(summary.getDistance() > 0);
    // Notes 3 and 4 are sent where notes 1 and 2 were: each gets the earlier one back.
    assertEquals(2, client.routeChat());
  }

  @Test
  void asyncClient() throws Exception {
    Point first = features.get(0).getLocation();
    Feature f = RouteGuide.client(channel).async().getFeature(first).get(5, TimeUnit.SECONDS);
    assertEquals(features.get(0).getName(), f.getName());
  }

  @Test
  void helloWorld() throws Exception {
    try (Server greeter =
            Server.builder().address("127.0.0.1", 0).service(new GreeterService()).start();
        ManagedChannel ch = Channel.to("127.0.0.1", greeter.port()).plaintext().build()) {
      assertEquals(
          "Hello Ada",
          Greeter.client(ch)
              .sayHello(HelloRequest.newBuilder().setName("Ada").build())
              .getMessage());
    }
  }
}
