package dev.strand.services.reflection;

import dev.strand.server.BindableService;
import dev.strand.server.ServiceDefinition;
import dev.strand.services.reflection.v1.ServerReflection;
import dev.strand.services.reflection.v1.ServerReflectionRequest;
import dev.strand.services.reflection.v1.ServerReflectionResponse;
import dev.strand.stub.ServerContext;
import dev.strand.stub.StreamSink;
import dev.strand.stub.StreamSource;
import java.util.List;

/**
 * Server reflection ({@code grpc.reflection.v1.ServerReflection}): lets grpcurl, Postman and other
 * tools list the server's services and fetch their .proto descriptors, so they can call it without
 * the .proto files at hand.
 *
 * <p>It describes the server it is registered with: every service whose definition carries a {@link
 * dev.strand.protobuf.ProtoServiceSchema} (all generated services do), with each file's transitive
 * imports. Older tools speak {@code grpc.reflection.v1alpha}; register {@link #v1alpha()} next to
 * this service for them:
 *
 * <pre>{@code
 * ReflectionService reflection = new ReflectionService();
 * Server.builder().service(reflection).service(reflection.v1alpha())...
 * }</pre>
 */
public final class ReflectionService implements ServerReflection {
  // The services of a running server never change, so the index is built on the first stream
  // and reused until a stream arrives from a server with other services.
  private volatile Snapshot snapshot;

  private record Snapshot(List<ServiceDefinition> services, DescriptorIndex index) {}

  @Override
  public void serverReflectionInfo(
      StreamSource<ServerReflectionRequest> requests,
      StreamSink<ServerReflectionResponse> responses) {
    ReflectionStream stream = newStream();
    for (ServerReflectionRequest request : requests) {
      responses.send(stream.answer(request));
    }
  }

  /** The same reflection as {@code grpc.reflection.v1alpha.ServerReflection}. */
  public BindableService v1alpha() {
    return new ReflectionV1Alpha(this);
  }

  /** A stream over the services of the server this handler thread is serving. */
  ReflectionStream newStream() {
    return new ReflectionStream(indexFor(ServerContext.current().info().services()));
  }

  private DescriptorIndex indexFor(List<ServiceDefinition> services) {
    Snapshot s = snapshot;
    if (s == null || !s.services().equals(services)) {
      s = new Snapshot(services, DescriptorIndex.of(services));
      snapshot = s;
    }
    return s.index();
  }
}
