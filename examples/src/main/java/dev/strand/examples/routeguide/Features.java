package dev.strand.examples.routeguide;

import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The feature database and the geometry the service needs. */
public final class Features {
  private static final double COORD_FACTOR = 1e7;
  private static final int EARTH_RADIUS_METRES = 6_371_000;

  private Features() {}

  /** Loads the features bundled with the example. */
  public static List<Feature> load() throws IOException {
    try (InputStream in = Features.class.getResourceAsStream("route_guide_db.json")) {
      if (in == null) {
        throw new IOException("route_guide_db.json is missing from the classpath");
      }
      FeatureDatabase.Builder db = FeatureDatabase.newBuilder();
      try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
        JsonFormat.parser().merge(reader, db);
      }
      return List.copyOf(db.getFeatureList());
    }
  }

  public static boolean exists(Feature feature) {
    return feature != null && !feature.getName().isEmpty();
  }

  public static boolean inside(Point p, Rectangle r) {
    int left = Math.min(r.getLo().getLongitude(), r.getHi().getLongitude());
    int right = Math.max(r.getLo().getLongitude(), r.getHi().getLongitude());
    int top = Math.max(r.getLo().getLatitude(), r.getHi().getLatitude());
    int bottom = Math.min(r.getLo().getLatitude(), r.getHi().getLatitude());
    return p.getLongitude() >= left
        && p.getLongitude() <= right
        && p.getLatitude() >= bottom
        && p.getLatitude() <= top;
  }

  /** Great-circle distance between two points, in metres (haversine formula). */
  public static int distance(Point a, Point b) {
    double lat1 = Math.toRadians(a.getLatitude() / COORD_FACTOR);
    double lat2 = Math.toRadians(b.getLatitude() / COORD_FACTOR);
    double dLat = lat2 - lat1;
    double dLon = Math.toRadians((b.getLongitude() - a.getLongitude()) / COORD_FACTOR);
    double h =
        Math.sin(dLat / 2) * Math.sin(dLat / 2)
            + Math.cos(lat1) * Math.cos(lat2) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
    return (int) Math.round(2 * EARTH_RADIUS_METRES * Math.atan2(Math.sqrt(h), Math.sqrt(1 - h)));
  }

  public static String describe(Point p) {
    return String.format(
        "(%.4f, %.4f)", p.getLatitude() / COORD_FACTOR, p.getLongitude() / COORD_FACTOR);
  }
}
