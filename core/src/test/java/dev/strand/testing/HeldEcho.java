package dev.strand.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.server.ServiceDefinition;
import dev.strand.stub.ServerCalls;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * EchoService's unary method, except that a "hold" request's handler reports that it has started
 * and then waits for {@link #release()}: how a test knows its calls are in their handlers, and
 * keeps them there, before it acts (say, shuts the server down). Other requests echo at once.
 */
public final class HeldEcho {
  private final Semaphore started = new Semaphore(0);
  private final CountDownLatch released = new CountDownLatch(1);

  public ServiceDefinition definition() {
    return ServiceDefinition.builder(EchoService.NAME)
        .method(
            EchoService.UNARY,
            ServerCalls.unary(
                request -> {
                  if (request.equals("hold")) {
                    started.release();
                    // Bounded, so that a test that fails before release() leaves no thread behind.
                    released.await(10, TimeUnit.SECONDS);
                  }
                  return EchoService.unary(request);
                }))
        .build();
  }

  /** Waits until {@code calls} "hold" handlers have started; fails after 5 s. */
  public void awaitStarted(int calls) throws InterruptedException {
    assertTrue(
        started.tryAcquire(calls, 5, TimeUnit.SECONDS),
        "only " + started.availablePermits() + " of " + calls + " held calls reached the handler");
  }

  /** Lets every held handler, and every later one, answer. */
  public void release() {
    released.countDown();
  }
}
