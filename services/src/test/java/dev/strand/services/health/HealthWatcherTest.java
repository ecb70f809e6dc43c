package dev.strand.services.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.strand.Status;
import dev.strand.StatusException;
import dev.strand.services.health.v1.HealthCheckResponse;
import dev.strand.services.health.v1.HealthCheckResponse.ServingStatus;
import dev.strand.stub.CallStreamObserver;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A watcher under flow control: a slow reader gets the latest status, not a backlog. */
class HealthWatcherTest {
  final FakeStream out = new FakeStream();
  final HealthWatcher watcher = new HealthWatcher(out);

  @Test
  void sendsOnlyChanges() {
    watcher.offer(ServingStatus.SERVING);
    watcher.offer(ServingStatus.SERVING);
    watcher.offer(ServingStatus.NOT_SERVING);
    assertEquals(List.of(ServingStatus.SERVING, ServingStatus.NOT_SERVING), out.sent);
  }

  @Test
  void whileTheClientIsSlowOnlyTheLatestStatusWaits() {
    watcher.offer(ServingStatus.SERVING);
    out.ready = false;
    watcher.offer(ServingStatus.NOT_SERVING);
    watcher.offer(ServingStatus.UNKNOWN);
    watcher.offer(ServingStatus.NOT_SERVING);
    assertEquals(List.of(ServingStatus.SERVING), out.sent, "nothing queued while not ready");

    out.ready = true;
    watcher.flush(); // the on-ready hook
    assertEquals(List.of(ServingStatus.SERVING, ServingStatus.NOT_SERVING), out.sent);
  }

  @Test
  void flappingBackToWhatWasSentSendsNothing() {
    watcher.offer(ServingStatus.SERVING);
    out.ready = false;
    watcher.offer(ServingStatus.NOT_SERVING);
    watcher.offer(ServingStatus.SERVING);
    out.ready = true;
    watcher.flush();
    assertEquals(List.of(ServingStatus.SERVING), out.sent);
  }

  @Test
  void finishSendsTheLastStatusEvenWhenNotReadyThenEnds() {
    watcher.offer(ServingStatus.SERVING);
    out.ready = false;
    watcher.finish(ServingStatus.NOT_SERVING, Status.UNAVAILABLE);
    assertEquals(List.of(ServingStatus.SERVING, ServingStatus.NOT_SERVING), out.sent);
    assertEquals(
        Status.Code.UNAVAILABLE, assertInstanceOf(StatusException.class, out.error).code());

    watcher.offer(ServingStatus.SERVING);
    out.ready = true;
    watcher.flush();
    assertEquals(2, out.sent.size(), "nothing after the end");
  }

  /** Records what a Watch stream was sent; readiness is set by the test. */
  static final class FakeStream implements CallStreamObserver<HealthCheckResponse> {
    final List<ServingStatus> sent = new ArrayList<>();
    boolean ready = true;
    Throwable error;

    @Override
    public void onNext(HealthCheckResponse value) {
      sent.add(value.getStatus());
    }

    @Override
    public void onError(Throwable t) {
      error = t;
    }

    @Override
    public void onCompleted() {}

    @Override
    public boolean isReady() {
      return ready;
    }

    @Override
    public void setMessageCompression(boolean enabled) {}

    @Override
    public void setOnReadyHandler(Runnable handler) {}

    @Override
    public boolean isCancelled() {
      return false;
    }

    @Override
    public void setOnCancelHandler(Runnable handler) {}
  }
}
