package dev.strand.services;

import dev.strand.server.ServerBuilder;
import dev.strand.services.health.HealthService;
import dev.strand.services.reflection.ReflectionService;

/**
 * The services every gRPC server is expected to offer, in one line:
 *
 * <pre>{@code
 * ServerBuilder builder = Server.builder().port(50051).service(new GreeterService());
 * HealthService health = StandardServices.addTo(builder);
 * Server server = builder.start();
 * }</pre>
 */
public final class StandardServices {
  private StandardServices() {}

  /**
   * Adds health checking ({@code grpc.health.v1}, the whole server SERVING) and server reflection
   * ({@code grpc.reflection.v1} and {@code v1alpha}).
   *
   * @return the health service, through which the application reports each service's status
   *     (shutdown turns them all NOT_SERVING by itself)
   */
  public static HealthService addTo(ServerBuilder builder) {
    HealthService health = new HealthService();
    ReflectionService reflection = new ReflectionService();
    builder.service(health).service(reflection).service(reflection.v1alpha());
    return health;
  }
}
