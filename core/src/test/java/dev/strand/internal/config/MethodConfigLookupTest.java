package dev.strand.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.MethodDescriptor;
import dev.strand.MethodType;
import dev.strand.testing.Utf8Marshaller;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Which method config a call gets: exact method, then its service's, then the channel default. */
class MethodConfigLookupTest {
  /** Three levels, told apart by their timeouts. */
  private static final ServiceConfig LEVELS =
      ServiceConfigParser.parse(
          """
          {"methodConfig": [
            {"name": [{}], "timeout": "1s"},
            {"name": [{"service": "pkg.Svc"}], "timeout": "2s"},
            {"name": [{"service": "pkg.Svc", "method": "Exact"}], "timeout": "3s"}
          ]}
          """);

  private static Duration timeoutOf(ServiceConfig config, String fullName) {
    MethodConfig found = config.methodConfig(fullName);
    return found == null ? null : found.timeout();
  }

  @Test
  void theMostSpecificEntryWins() {
    assertEquals(Duration.ofSeconds(3), timeoutOf(LEVELS, "pkg.Svc/Exact"));
    assertEquals(Duration.ofSeconds(2), timeoutOf(LEVELS, "pkg.Svc/Other"));
    assertEquals(Duration.ofSeconds(1), timeoutOf(LEVELS, "pkg.Another/Exact"));
    assertEquals(Duration.ofSeconds(1), timeoutOf(LEVELS, "Svc/Exact")); // the package counts
  }

  @Test
  void theOrderOfEntriesDoesNotMatter() {
    ServiceConfig reversed =
        ServiceConfigParser.parse(
            """
            {"methodConfig": [
              {"name": [{"service": "pkg.Svc", "method": "Exact"}], "timeout": "3s"},
              {"name": [{"service": "pkg.Svc"}], "timeout": "2s"},
              {"name": [{"service": ""}], "timeout": "1s"}
            ]}
            """);
    assertEquals(Duration.ofSeconds(3), timeoutOf(reversed, "pkg.Svc/Exact"));
    assertEquals(Duration.ofSeconds(2), timeoutOf(reversed, "pkg.Svc/Other"));
    assertEquals(Duration.ofSeconds(1), timeoutOf(reversed, "pkg.Another/Exact"));
  }

  @Test
  void withoutAServiceDefaultAnotherMethodOfTheServiceGetsTheChannelDefault() {
    ServiceConfig config =
        ServiceConfigParser.parse(
            """
            {"methodConfig": [
              {"name": [{}], "timeout": "1s"},
              {"name": [{"service": "pkg.Svc", "method": "Exact"}], "timeout": "3s"}
            ]}
            """);
    assertEquals(Duration.ofSeconds(3), timeoutOf(config, "pkg.Svc/Exact"));
    assertEquals(Duration.ofSeconds(1), timeoutOf(config, "pkg.Svc/Other"));
  }

  @Test
  void withoutAChannelDefaultOtherMethodsGetNothing() {
    ServiceConfig config =
        ServiceConfigParser.parse(
            """
            {"methodConfig": [
              {"name": [{"service": "pkg.Svc", "method": "Exact"}], "timeout": "3s"}
            ]}
            """);
    assertNull(config.methodConfig("pkg.Svc/Other"));
    assertNull(config.methodConfig("pkg.Another/Exact"));
    assertTrue(config.hasMethodConfigs());
  }

  @Test
  void oneEntryServesEveryNameItLists() {
    ServiceConfig config =
        ServiceConfigParser.parse(
            """
            {"methodConfig": [{
              "name": [{"service": "foo", "method": "bar"}, {"service": "baz"}],
              "timeout": "1.000000001s"
            }]}
            """);
    MethodConfig bar = config.methodConfig("foo/bar");
    assertEquals(Duration.ofSeconds(1, 1), bar.timeout());
    assertSame(bar, config.methodConfig("baz/anything"));
    assertNull(config.methodConfig("foo/other"));
    assertEquals(1, config.methodConfigs().size());
  }

  @Test
  void aMethodDescriptorFindsItsEntry() {
    MethodDescriptor<String, String> exact =
        MethodDescriptor.of(
            MethodType.UNARY, "pkg.Svc/Exact", Utf8Marshaller.INSTANCE, Utf8Marshaller.INSTANCE);
    assertEquals(Duration.ofSeconds(3), LEVELS.methodConfig(exact).timeout());
  }

  @Test
  void nullEmptyAndAbsentAreTheSameName() {
    ServiceConfig config =
        ServiceConfigParser.parse(
            """
            {"methodConfig": [
              {"name": [{"service": "s", "method": null}], "timeout": "2s"},
              {"name": [{"service": null, "method": ""}], "timeout": "1s"}
            ]}
            """);
    assertEquals(Duration.ofSeconds(2), timeoutOf(config, "s/m"));
    assertEquals(Duration.ofSeconds(1), timeoutOf(config, "t/m"));
  }

  @Test
  void anEntryWithoutNamesIsSkippedButStillChecked() {
    ServiceConfig config =
        ServiceConfigParser.parse(
            "{\"methodConfig\": [{\"timeout\": \"1s\"}, {\"name\": [], \"timeout\": \"2s\"}]}");
    assertFalse(config.hasMethodConfigs());
    assertNull(config.methodConfig("a/b"));
    assertEquals(0, config.methodConfigs().size());
    assertThrows(
        ServiceConfigException.class,
        () -> ServiceConfigParser.parse("{\"methodConfig\": [{\"timeout\": \"soon\"}]}"));
  }

  @Test
  void theEmptyConfigHasNothing() {
    for (ServiceConfig config :
        new ServiceConfig[] {
          ServiceConfig.EMPTY,
          ServiceConfigParser.parse("{}"),
          ServiceConfigParser.parse("{\"methodConfig\": []}")
        }) {
      assertFalse(config.hasMethodConfigs());
      assertNull(config.methodConfig("a/b"));
      assertNull(config.loadBalancingConfig());
      assertNull(config.retryThrottling());
      assertNull(config.healthCheckConfig());
    }
  }

  @Test
  void aFullNameNeedsASlash() {
    assertThrows(IllegalArgumentException.class, () -> LEVELS.methodConfig("pkg.Svc.Exact"));
  }
}
