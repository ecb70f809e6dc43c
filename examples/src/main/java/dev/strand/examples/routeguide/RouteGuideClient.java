package dev.strand.examples.routeguide;

import dev.strand.StatusException;
import dev.strand.client.Channel;
import dev.strand.client.ManagedChannel;
import dev.strand.stub.BidiStreamCall;
import dev.strand.stub.ClientStreamCall;
import dev.strand.stub.StreamSource;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Random;

/** Walks a RouteGuide server through all four call shapes and says what happened. */
public final class RouteGuideClient {
  private final RouteGuide.Client guide;
  private final PrintStream out;

  public RouteGuideClient(Channel channel, PrintStream out) {
    this.guide = RouteGuide.client(channel).withTimeout(Duration.ofSeconds(10));
    this.out = out;
  }

  /** Unary. */
  public Feature getFeature(int latitude, int longitude) {
    Point point = Point.newBuilder().setLatitude(latitude).setLongitude(longitude).build();
    Feature feature = guide.getFeature(point);
    out.println(
        "  GetFeature "
            + Features.describe(point)
            + " -> "
            + (Features.exists(feature) ? "\"" + feature.getName() + "\"" : "no feature"));
    return feature;
  }

  /** Server streaming. */
  public int listFeatures(Rectangle area) {
    int count = 0;
    try (StreamSource<Feature> features = guide.listFeatures(area)) {
      for (Feature f : features) {
        if (count < 3) {
          out.println(
              "  ListFeatures -> \"" + f.getName() + "\" at " + Features.describe(f.getLocation()));
        }
        count++;
      }
    }
    out.println("  ListFeatures streamed " + count + " features");
    return count;
  }

  /** Client streaming. */
  public RouteSummary recordRoute(List<Feature> features, int points, long seed) {
    Random random = new Random(seed);
    ClientStreamCall<Point, RouteSummary> route = guide.recordRoute();
    for (int i = 0; i < points; i++) {
      route.send(features.get(random.nextInt(features.size())).getLocation());
    }
    RouteSummary summary = route.finish();
    out.println(
        "  RecordRoute sent "
            + points
            + " points -> "
            + summary.getPointCount()
            + " points, "
            + summary.getFeatureCount()
            + " features, "
            + summary.getDistance()
            + " m");
    return summary;
  }

  /** Bidirectional streaming. */
  public int routeChat() {
    Point here = Point.newBuilder().setLatitude(0).setLongitude(0).build();
    Point there = Point.newBuilder().setLatitude(0).setLongitude(10_000_000).build();
    List<RouteNote> notes =
        List.of(
            note("First message", here),
            note("Second message", there),
            note("Third message", here),
            note("Fourth message", there));
    int received = 0;
    BidiStreamCall<RouteNote, RouteNote> chat = guide.routeChat();
    // Send from this thread; the server answers as it reads, and we read once done sending.
    for (RouteNote n : notes) {
      chat.send(n);
      out.println(
          "  RouteChat sent \"" + n.getMessage() + "\" at " + Features.describe(n.getLocation()));
    }
    chat.halfClose();
    for (RouteNote reply : chat) {
      out.println(
          "  RouteChat got \""
              + reply.getMessage()
              + "\" at "
              + Features.describe(reply.getLocation()));
      received++;
    }
    return received;
  }

  private static RouteNote note(String message, Point at) {
    return RouteNote.newBuilder().setMessage(message).setLocation(at).build();
  }

  public static void main(String[] args) throws Exception {
    String target = args.length > 0 ? args[0] : "localhost:50051";
    try (ManagedChannel channel = Channel.to(target).plaintext().build()) {
      run(new RouteGuideClient(channel, System.out), Features.load());
    } catch (StatusException e) {
      System.err.println("RPC failed: " + e.status());
      System.exit(1);
    }
  }

  static void run(RouteGuideClient client, List<Feature> features) {
    Feature first = features.get(0);
    client.getFeature(first.getLocation().getLatitude(), first.getLocation().getLongitude());
    client.getFeature(0, 0);
    client.listFeatures(
        Rectangle.newBuilder()
            .setLo(Point.newBuilder().setLatitude(400000000).setLongitude(-750000000))
            .setHi(Point.newBuilder().setLatitude(420000000).setLongitude(-730000000))
            .build());
    client.recordRoute(features, 10, 42);
    client.routeChat();
  }
}
