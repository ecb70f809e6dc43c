package dev.strand.bench;

import dev.strand.server.BindableService;

/** The benchmark service implementations, for code outside this package (the JMH classes). */
public final class BenchServices {
  private BenchServices() {}

  /** Strand's BenchmarkService: {@code "async"} (event loop) or {@code "blocking"} handlers. */
  public static BindableService strand(String handlers) {
    return handlers.equals("blocking") ? new StrandBlockingService() : new StrandAsyncService();
  }

  /** The same service on grpc-java. */
  public static io.grpc.BindableService grpcJava() {
    return new GrpcJavaService();
  }
}
