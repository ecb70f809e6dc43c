package dev.strand.interop;

import dev.strand.client.CallOptions;
import dev.strand.client.Channel;
import io.grpc.testing.integration.Messages.BoolValue;
import io.grpc.testing.integration.TestService;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** What a test case works with: a fresh channel to the server and the recorder on it. */
final class Tester {
  /** How long a case waits for one thing to happen before it calls it a failure. */
  static final Duration STEP_TIMEOUT = Duration.ofSeconds(20);

  static final CallOptions GZIP = CallOptions.DEFAULT.withCompression("gzip");

  private final Channel channel;
  private final CallRecorder recorder;

  Tester(Channel channel, CallRecorder recorder) {
    this.channel = channel;
    this.recorder = recorder;
  }

  Channel channel() {
    return channel;
  }

  TestService.Client client() {
    return TestService.client(channel);
  }

  CallRecorder recorder() {
    return recorder;
  }

  static BoolValue bool(boolean value) {
    return BoolValue.newBuilder().setValue(value).build();
  }

  /** Waits for a future with the step timeout; a timeout is a test failure. */
  static <T> T await(CompletableFuture<T> future, String what) throws Exception {
    try {
      return future.get(STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError(
          what + ": nothing happened within " + STEP_TIMEOUT.toSeconds() + " s");
    }
  }
}
