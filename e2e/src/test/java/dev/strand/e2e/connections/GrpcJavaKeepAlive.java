package dev.strand.e2e.connections;

import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A grpc-java channel builder that pings more often than grpc-java allows. NettyChannelBuilder
 * clamps keepAliveTime to at least 10 s (A8's client-side minimum), which would make a test wait 40
 * s for the fourth ping; the field it clamps is set directly instead. What the server sees is
 * exactly what a misconfigured or older client sends: PINGs at that interval.
 */
final class GrpcJavaKeepAlive {
  private GrpcJavaKeepAlive() {}

  static NettyChannelBuilder pingingEvery(NettyChannelBuilder builder, Duration interval) {
    builder
        .keepAliveTime(10, TimeUnit.SECONDS)
        .keepAliveTimeout(5, TimeUnit.SECONDS)
        .keepAliveWithoutCalls(true);
    try {
      Field f = NettyChannelBuilder.class.getDeclaredField("keepAliveTimeNanos");
      f.setAccessible(true);
      f.setLong(builder, interval.toNanos());
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("grpc-java's NettyChannelBuilder changed: " + e, e);
    }
    return builder;
  }
}
