package dev.strand.examples.routeguide;

import dev.strand.stub.StreamSink;
import dev.strand.stub.StreamSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * The RouteGuide service, written as plain blocking methods: Strand runs each call on its own
 * (virtual, on Java 21+) thread, and StreamSink.send waits when the client reads slowly.
 */
public final class RouteGuideService implements RouteGuide {
  private final List<Feature> features;
  private final ConcurrentMap<Point, List<RouteNote>> notesByPlace = new ConcurrentHashMap<>();

  public RouteGuideService(List<Feature> features) {
    this.features = List.copyOf(features);
  }

  @Override
  public Feature getFeature(Point point) {
    for (Feature f : features) {
      if (f.getLocation().equals(point)) {
        return f;
      }
    }
    return Feature.newBuilder().setLocation(point).build();
  }

  @Override
  public void listFeatures(Rectangle area, StreamSink<Feature> responses) {
    for (Feature f : features) {
      if (Features.exists(f) && Features.inside(f.getLocation(), area)) {
        responses.send(f);
      }
    }
  }

  @Override
  public RouteSummary recordRoute(StreamSource<Point> points) {
    long start = System.nanoTime();
    int pointCount = 0;
    int featureCount = 0;
    int distance = 0;
    Point previous = null;
    for (Point p : points) {
      pointCount++;
      if (Features.exists(getFeature(p))) {
        featureCount++;
      }
      if (previous != null) {
        distance += Features.distance(previous, p);
      }
      previous = p;
    }
    return RouteSummary.newBuilder()
        .setPointCount(pointCount)
        .setFeatureCount(featureCount)
        .setDistance(distance)
        .setElapsedTime((int) TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start))
        .build();
  }

  @Override
  public void routeChat(StreamSource<RouteNote> notes, StreamSink<RouteNote> responses) {
    for (RouteNote note : notes) {
      List<RouteNote> here =
          notesByPlace.computeIfAbsent(note.getLocation(), p -> new ArrayList<>());
      List<RouteNote> earlier;
      synchronized (here) {
        earlier = List.copyOf(here);
        here.add(note);
      }
      for (RouteNote previous : earlier) {
        responses.send(previous);
      }
    }
  }
}
