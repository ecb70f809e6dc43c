package dev.strand.e2e.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.client.Channel;
import dev.strand.client.ManagedChannel;
import dev.strand.examples.routeguide.Feature;
import dev.strand.examples.routeguide.Features;
import dev.strand.examples.routeguide.Point;
import dev.strand.examples.routeguide.Rectangle;
import dev.strand.examples.routeguide.RouteGuide;
import dev.strand.examples.routeguide.RouteGuideGrpc;
import dev.strand.examples.routeguide.RouteGuideService;
import dev.strand.examples.routeguide.RouteNote;
import dev.strand.examples.routeguide.RouteSummary;
import dev.strand.server.Server;
import dev.strand.stub.BidiStreamCall;
import dev.strand.stub.ClientStreamCall;
import dev.strand.stub.StreamSource;
import io.grpc.ManagedChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Code from Strand's generator against code from grpc-java's, for the same route_guide.proto: every
 * call shape, in both directions.
 */
class GeneratedStubsInteropTest {
  static List<Feature> features;
  static Server strandServer;
  static io.grpc.Server grpcServer;
  static io.grpc.ManagedChannel grpcChannel;
  static ManagedChannel strandChannel;

  @BeforeAll
  static void start() throws Exception {
    features = Features.load();
    strandServer =
        Server.builder().address("127.0.0.1", 0).service(new RouteGuideService(features)).start();
    grpcServer =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(new GrpcJavaRouteGuide())
            .build()
            .start();
    grpcChannel =
        ManagedChannelBuilder.forAddress("127.0.0.1", strandServer.port()).usePlaintext().build();
    strandChannel = Channel.to("127.0.0.1", grpcServer.getPort()).plaintext().build();
  }

  @AfterAll
  static void stop() throws Exception {
    grpcChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    strandChannel.close();
    grpcServer.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    strandServer.close();
  }

  static Point point(int lat, int lon) {
    return Point.newBuilder().setLatitude(lat).setLongitude(lon).build();
  }

  static final Rectangle EVERYWHERE =
      Rectangle.newBuilder()
          .setLo(point(400000000, -750000000))
          .setHi(point(420000000, -730000000))
          .build();

  // ---- grpc-java's generated client against Strand's generated service ----

  @Test
  void grpcJavaStubsCallAStrandService() throws Exception {
    var blocking = RouteGuideGrpc.newBlockingStub(grpcChannel);
    Feature first = features.get(0);
    assertEquals(first.getName(), blocking.getFeature(first.getLocation()).getName());

    int listed = 0;
    for (Iterator<Feature> it = blocking.listFeatures(EVERYWHERE); it.hasNext(); it.next()) {
      listed++;
    }
    assertEquals(features.stream().filter(Features::exists).count(), listed);

    var async = RouteGuideGrpc.newStub(grpcChannel);
    Collector<RouteSummary> summary = new Collector<>();
    StreamObserver<Point> route = async.recordRoute(summary);
    for (int i = 0; i < 5; i++) {
      route.onNext(features.get(i).getLocation());
    }
    route.onCompleted();
    assertEquals(5, summary.done().get(10, TimeUnit.SECONDS).get(0).getPointCount());

    Collector<RouteNote> replies = new Collector<>();
    StreamObserver<RouteNote> chat = async.routeChat(replies);
    chat.onNext(note("a", point(1, 1)));
    chat.onNext(note("b", point(1, 1)));
    chat.onCompleted();
    assertEquals(
        List.of("a"),
        replies.done().get(10, TimeUnit.SECONDS).stream().map(RouteNote::getMessage).toList());
  }

  // ---- Strand's generated client against grpc-java's generated service ----

  @Test
  void strandStubsCallAGrpcJavaService() throws Exception {
    RouteGuide.Client guide = RouteGuide.client(strandChannel);
    Feature first = features.get(0);
    assertEquals(first.getName(), guide.getFeature(first.getLocation()).getName());
    assertEquals(
        first.getName(),
        guide.async().getFeature(first.getLocation()).get(10, TimeUnit.SECONDS).getName());

    int listed = 0;
    try (StreamSource<Feature> stream = guide.listFeatures(EVERYWHERE)) {
      for (Feature f : stream) {
        assertTrue(Features.exists(f));
        listed++;
      }
    }
    assertEquals(features.stream().filter(Features::exists).count(), listed);

    ClientStreamCall<Point, RouteSummary> route = guide.recordRoute();
    for (int i = 0; i < 7; i++) {
      route.send(features.get(i).getLocation());
    }
    assertEquals(7, route.finish().getPointCount());

    BidiStreamCall<RouteNote, RouteNote> chat = guide.routeChat();
    chat.send(note("x", point(2, 2)));
    chat.send(note("y", point(2, 2)));
    chat.halfClose();
    List<String> got = new ArrayList<>();
    for (RouteNote n : chat) {
      got.add(n.getMessage());
    }
    assertEquals(List.of("x"), got);
  }

  static RouteNote note(String message, Point at) {
    return RouteNote.newBuilder().setMessage(message).setLocation(at).build();
  }

  /** Collects a stream's values; completes when it ends. */
  static final class Collector<T> implements StreamObserver<T> {
    private final LinkedBlockingQueue<T> values = new LinkedBlockingQueue<>();
    private final CompletableFuture<List<T>> done = new CompletableFuture<>();

    @Override
    public void onNext(T value) {
      values.add(value);
    }

    @Override
    public void onError(Throwable t) {
      done.completeExceptionally(t);
    }

    @Override
    public void onCompleted() {
      done.complete(new ArrayList<>(values));
    }

    CompletableFuture<List<T>> done() {
      return done;
    }
  }

  /** RouteGuide written against grpc-java's generated base class, reusing the example's data. */
  static final class GrpcJavaRouteGuide extends RouteGuideGrpc.RouteGuideImplBase {
    private final RouteGuideService logic = new RouteGuideService(features);

    @Override
    public void getFeature(Point request, StreamObserver<Feature> responses) {
      responses.onNext(logic.getFeature(request));
      responses.onCompleted();
    }

    @Override
    public void listFeatures(Rectangle request, StreamObserver<Feature> responses) {
      for (Feature f : features) {
        if (Features.exists(f) && Features.inside(f.getLocation(), request)) {
          responses.onNext(f);
        }
      }
      responses.onCompleted();
    }

    @Override
    public StreamObserver<Point> recordRoute(StreamObserver<RouteSummary> responses) {
      return new StreamObserver<>() {
        int count;

        @Override
        public void onNext(Point p) {
          count++;
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {
          responses.onNext(RouteSummary.newBuilder().setPointCount(count).build());
          responses.onCompleted();
        }
      };
    }

    @Override
    public StreamObserver<RouteNote> routeChat(StreamObserver<RouteNote> responses) {
      List<RouteNote> seen = new ArrayList<>();
      return new StreamObserver<>() {
        @Override
        public void onNext(RouteNote note) {
          for (RouteNote earlier : seen) {
            if (earlier.getLocation().equals(note.getLocation())) {
              responses.onNext(earlier);
            }
          }
          seen.add(note);
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {
          responses.onCompleted();
        }
      };
    }
  }
}
