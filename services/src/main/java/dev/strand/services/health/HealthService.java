package dev.strand.services.health;

import dev.strand.Status;
import dev.strand.server.ShutdownListener;
import dev.strand.services.health.v1.Health;
import dev.strand.services.health.v1.HealthCheckRequest;
import dev.strand.services.health.v1.HealthCheckResponse;
import dev.strand.services.health.v1.HealthCheckResponse.ServingStatus;
import dev.strand.stub.CallStreamObserver;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The standard health service ({@code grpc.health.v1.Health}): load balancers, Kubernetes probes
 * and tools ask it whether the server, or one service of it, can take calls.
 *
 * <p>The application reports each service's status with {@link #setStatus}; the empty name ({@link
 * #SERVER}) stands for the whole server and starts out SERVING. {@code Check} of a name never
 * reported fails with NOT_FOUND; {@code Watch} sends the current status (SERVICE_UNKNOWN for such a
 * name) and then every change, until the client cancels.
 *
 * <p>Registered with {@code ServerBuilder.service(...)}, it hears when the server begins to shut
 * down: every status turns NOT_SERVING, watchers are told so and their streams end with UNAVAILABLE
 * (an endless Watch would otherwise hold up the graceful drain), and later {@code setStatus} calls
 * are ignored so that nothing lures traffic to a server on its way out. That is for good: don't
 * reuse an instance for a server started later.
 *
 * <p>Handlers run on the event loop and never block: a Watch costs no thread while it waits.
 */
public final class HealthService implements Health.Async, ShutdownListener {
  /** The name that stands for the server as a whole. */
  public static final String SERVER = "";

  private static final Status SHUTTING_DOWN =
      Status.UNAVAILABLE.withDescription("server is shutting down");

  // One lock for statuses and watchers, held while watchers are told of a change: two changes
  // racing on different threads then reach every watcher in the order they were made.
  private final Map<String, ServingStatus> statuses = new HashMap<>();
  private final Map<String, Set<HealthWatcher>> watchers = new HashMap<>();
  private boolean shutdown;

  /** A health service that reports the whole server SERVING and knows no other service. */
  public HealthService() {
    statuses.put(SERVER, ServingStatus.SERVING);
  }

  /** Reports a service (by full name, e.g. {@code helloworld.Greeter}) as SERVING or not. */
  public synchronized void setStatus(String service, ServingStatus status) {
    Objects.requireNonNull(service, "service");
    if (status != ServingStatus.SERVING
        && status != ServingStatus.NOT_SERVING
        && status != ServingStatus.UNKNOWN) {
      throw new IllegalArgumentException(
          "a service is SERVING, NOT_SERVING or UNKNOWN, not "
              + status
              + " (clearStatus forgets a service)");
    }
    if (shutdown) {
      return;
    }
    statuses.put(service, status);
    tell(service, status);
  }

  /** Forgets a service: Check answers NOT_FOUND again and watchers see SERVICE_UNKNOWN. */
  public synchronized void clearStatus(String service) {
    Objects.requireNonNull(service, "service");
    if (!shutdown && statuses.remove(service) != null) {
      tell(service, ServingStatus.SERVICE_UNKNOWN);
    }
  }

  /** The status reported for a service, or SERVICE_UNKNOWN if none was. */
  public synchronized ServingStatus status(String service) {
    return statuses.getOrDefault(service, ServingStatus.SERVICE_UNKNOWN);
  }

  /** Reports every service NOT_SERVING and ends the Watch streams; final. */
  @Override
  public synchronized void onShutdown() {
    if (shutdown) {
      return;
    }
    shutdown = true;
    statuses.replaceAll((name, status) -> ServingStatus.NOT_SERVING);
    for (Set<HealthWatcher> set : watchers.values()) {
      for (HealthWatcher w : set) {
        w.finish(ServingStatus.NOT_SERVING, SHUTTING_DOWN);
      }
    }
    watchers.clear();
  }

  @Override
  public CompletionStage<HealthCheckResponse> check(HealthCheckRequest request) {
    ServingStatus status;
    synchronized (this) {
      status = statuses.get(request.getService());
    }
    if (status == null) {
      return CompletableFuture.failedFuture(
          Status.NOT_FOUND
              .withDescription("unknown service '" + request.getService() + "'")
              .asException());
    }
    return CompletableFuture.completedFuture(response(status));
  }

  @Override
  public void watch(HealthCheckRequest request, CallStreamObserver<HealthCheckResponse> responses) {
    String name = request.getService();
    HealthWatcher watcher = new HealthWatcher(responses);
    responses.setOnReadyHandler(watcher::flush);
    responses.setOnCancelHandler(() -> forget(name, watcher));
    synchronized (this) {
      if (responses.isCancelled()) {
        return;
      }
      if (shutdown) {
        watcher.finish(ServingStatus.NOT_SERVING, SHUTTING_DOWN);
        return;
      }
      watchers.computeIfAbsent(name, n -> new LinkedHashSet<>()).add(watcher);
      watcher.offer(statuses.getOrDefault(name, ServingStatus.SERVICE_UNKNOWN));
    }
  }

  /** How many Watch streams are open: lets tests see that a cancelled one is let go. */
  synchronized int watcherCount() {
    return watchers.values().stream().mapToInt(Set::size).sum();
  }

  private synchronized void forget(String name, HealthWatcher watcher) {
    Set<HealthWatcher> set = watchers.get(name);
    if (set != null && set.remove(watcher) && set.isEmpty()) {
      watchers.remove(name);
    }
  }

  private void tell(String name, ServingStatus status) {
    Set<HealthWatcher> set = watchers.get(name);
    if (set != null) {
      for (HealthWatcher w : set) {
        w.offer(status);
      }
    }
  }

  static HealthCheckResponse response(ServingStatus status) {
    return HealthCheckResponse.newBuilder().setStatus(status).build();
  }
}
