package dev.strand.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Custom call options: carried by every copy, replaced by key, told apart by key identity. */
class CallOptionsKeyTest {
  static final CallOptions.Key<String> TENANT = CallOptions.Key.of("tenant");
  static final CallOptions.Key<String> SAME_NAME = CallOptions.Key.of("tenant");

  @Test
  void anOptionSurvivesEveryOtherSettingAndIsReplacedByItsKey() {
    CallOptions options =
        CallOptions.DEFAULT
            .withOption(TENANT, "a")
            .withTimeout(Duration.ofSeconds(1))
            .withCompression("gzip")
            .withMaxInboundMessageSize(10)
            .withMaxOutboundMessageSize(10)
            .withWaitForReady();
    assertEquals("a", options.option(TENANT));
    CallOptions replaced = options.withOption(TENANT, "b");
    assertEquals("b", replaced.option(TENANT));
    assertEquals("a", options.option(TENANT), "a copy: the original keeps its value");
    assertNull(replaced.option(SAME_NAME), "keys are told apart by identity, not name");
    assertNull(CallOptions.DEFAULT.option(TENANT));
  }
}
