package dev.strand.services.health;

import dev.strand.Status;
import dev.strand.StatusException;
import dev.strand.services.health.v1.HealthCheckResponse;
import dev.strand.services.health.v1.HealthCheckResponse.ServingStatus;
import dev.strand.stub.CallStreamObserver;

/**
 * One Watch stream. Only the latest status matters to a watcher, so while the client reads too
 * slowly to take another message the newest status waits here, replacing older ones: memory stays
 * bounded however fast statuses flap, and the client always converges on the truth.
 */
final class HealthWatcher {
  private final CallStreamObserver<HealthCheckResponse> out;
  private ServingStatus latest;
  private ServingStatus sent;
  private boolean done;

  HealthWatcher(CallStreamObserver<HealthCheckResponse> out) {
    this.out = out;
  }

  /** The watched service's status is now this. */
  synchronized void offer(ServingStatus status) {
    latest = status;
    flush();
  }

  /** Sends the latest status if it is news and the transport has room; also the on-ready hook. */
  synchronized void flush() {
    if (!done && latest != null && latest != sent && out.isReady()) {
      send();
    }
  }

  /**
   * Sends a last status, even past flow control (one small message), so the client learns why the
   * stream ends, then ends it.
   */
  synchronized void finish(ServingStatus last, Status status) {
    if (done) {
      return;
    }
    latest = last;
    if (latest != sent) {
      send();
    }
    done = true;
    out.onError(status.asException());
  }

  private void send() {
    sent = latest;
    try {
      out.onNext(HealthService.response(latest));
    } catch (StatusException cancelled) {
      // The client went away between our check and the send; the cancel handler cleans up.
      done = true;
    }
  }
}
