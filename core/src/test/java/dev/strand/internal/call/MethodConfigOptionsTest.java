package dev.strand.internal.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.Deadline;
import dev.strand.MethodDescriptor;
import dev.strand.MethodType;
import dev.strand.client.CallOptions;
import dev.strand.internal.config.ServiceConfig;
import dev.strand.internal.config.ServiceConfigParser;
import dev.strand.testing.Utf8Marshaller;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A method config tightens a call's options and never loosens them. */
class MethodConfigOptionsTest {
  private static final int CHANNEL_MAX_INBOUND = 4 * 1024 * 1024;

  private static final MethodDescriptor<String, String> CONFIGURED = method("pkg.Svc/Configured");
  private static final MethodDescriptor<String, String> OTHER = method("pkg.Other/Method");

  private static MethodDescriptor<String, String> method(String fullName) {
    return MethodDescriptor.of(
        MethodType.UNARY, fullName, Utf8Marshaller.INSTANCE, Utf8Marshaller.INSTANCE);
  }

  private static ServiceConfig config(String members) {
    return ServiceConfigParser.parse(
        "{\"methodConfig\": [{\"name\": [{\"service\": \"pkg.Svc\"}], " + members + "}]}");
  }

  private static CallOptions apply(ServiceConfig config, CallOptions options) {
    return MethodConfigOptions.apply(config, CONFIGURED, options, CHANNEL_MAX_INBOUND);
  }

  @Test
  void aMethodWithoutConfigKeepsItsOptionsAsTheyAre() {
    CallOptions options = CallOptions.DEFAULT.withCompression("gzip");
    ServiceConfig config = config("\"timeout\": \"1s\", \"waitForReady\": true");
    assertSame(options, MethodConfigOptions.apply(config, OTHER, options, CHANNEL_MAX_INBOUND));
    assertSame(
        options,
        MethodConfigOptions.apply(ServiceConfig.EMPTY, CONFIGURED, options, CHANNEL_MAX_INBOUND));
    // An entry that sets only what calls do not carry (retries) changes nothing either.
    ServiceConfig retriesOnly =
        config(
            "\"retryPolicy\": {\"maxAttempts\": 2, \"initialBackoff\": \"1s\", \"maxBackoff\":"
                + " \"1s\", \"backoffMultiplier\": 1, \"retryableStatusCodes\": [14]}");
    assertSame(options, apply(retriesOnly, options));
  }

  @Test
  void theTimeoutGivesACallWithoutDeadlineOne() {
    CallOptions applied = apply(config("\"timeout\": \"2s\""), CallOptions.DEFAULT);
    long remaining = applied.deadline().remainingNanos();
    assertTrue(
        remaining > TimeUnit.MILLISECONDS.toNanos(1500) && remaining <= TimeUnit.SECONDS.toNanos(2),
        "remaining " + remaining);
    assertEquals(Duration.ofSeconds(2), applied.deadline().timeout());
  }

  @Test
  void theEarlierDeadlineWins() {
    ServiceConfig config = config("\"timeout\": \"2s\"");
    Deadline sooner = Deadline.after(Duration.ofMillis(500));
    assertSame(sooner, apply(config, CallOptions.DEFAULT.withDeadline(sooner)).deadline());
    Deadline later = Deadline.after(Duration.ofMinutes(1));
    Deadline applied = apply(config, CallOptions.DEFAULT.withDeadline(later)).deadline();
    assertEquals(Duration.ofSeconds(2), applied.timeout());
  }

  @Test
  void waitForReadyOnlyForCallsThatDidNotChoose() {
    ServiceConfig waits = config("\"waitForReady\": true");
    assertTrue(apply(waits, CallOptions.DEFAULT).waitForReady());
    assertFalse(apply(waits, CallOptions.DEFAULT.withoutWaitForReady()).waitForReady());

    ServiceConfig failsFast = config("\"waitForReady\": false");
    assertTrue(apply(failsFast, CallOptions.DEFAULT.withWaitForReady()).waitForReady());
    CallOptions applied = apply(failsFast, CallOptions.DEFAULT);
    assertFalse(applied.waitForReady());
    assertTrue(applied.waitForReadyChosen());
  }

  @Test
  void theSmallerResponseLimitApplies() {
    ServiceConfig config = config("\"maxResponseMessageBytes\": 1024");
    assertEquals(1024, apply(config, CallOptions.DEFAULT).maxInboundMessageSize());
    assertEquals(
        1024,
        apply(config, CallOptions.DEFAULT.withMaxInboundMessageSize(1 << 20))
            .maxInboundMessageSize());
    assertEquals(
        100,
        apply(config, CallOptions.DEFAULT.withMaxInboundMessageSize(100)).maxInboundMessageSize());
    // Above the channel's limit, the config changes nothing: the channel's still applies.
    ServiceConfig generous = config("\"maxResponseMessageBytes\": 100000000");
    assertEquals(-1, apply(generous, CallOptions.DEFAULT).maxInboundMessageSize());
  }

  @Test
  void theSmallerRequestLimitApplies() {
    ServiceConfig config = config("\"maxRequestMessageBytes\": 1024");
    assertEquals(-1, CallOptions.DEFAULT.maxOutboundMessageSize());
    assertEquals(1024, apply(config, CallOptions.DEFAULT).maxOutboundMessageSize());
    assertEquals(
        10,
        apply(config, CallOptions.DEFAULT.withMaxOutboundMessageSize(10)).maxOutboundMessageSize());
    assertEquals(
        1024,
        apply(config, CallOptions.DEFAULT.withMaxOutboundMessageSize(5000))
            .maxOutboundMessageSize());
  }

  @Test
  void everythingAtOnceAndTheRestOfTheOptionsKept() {
    ServiceConfig config =
        config(
            "\"timeout\": \"1s\", \"waitForReady\": true, \"maxRequestMessageBytes\": 1,"
                + " \"maxResponseMessageBytes\": 2");
    Deadline parent = Deadline.after(Duration.ofSeconds(30));
    CallOptions applied =
        apply(config, CallOptions.DEFAULT.withCompression("gzip").withParentDeadline(parent));
    assertEquals(Duration.ofSeconds(1), applied.deadline().timeout());
    assertTrue(applied.waitForReady());
    assertEquals(1, applied.maxOutboundMessageSize());
    assertEquals(2, applied.maxInboundMessageSize());
    assertEquals("gzip", applied.compression());
    assertSame(parent, applied.parentDeadline());
    assertNull(CallOptions.DEFAULT.deadline());
  }
}
