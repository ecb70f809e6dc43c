package dev.strand.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.internal.json.JsonException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The per-method fields of a service config and the rules of the whole (service_config.md, A21):
 * each error names its field.
 */
class ServiceConfigParserTest {

  /** A config of one method config for every method, with these members. */
  static String method(String members) {
    return "{\"methodConfig\": [{\"name\": [{}]"
        + (members.isEmpty() ? "" : ", " + members)
        + "}]}";
  }

  static MethodConfig parseMethod(String members) {
    return ServiceConfigParser.parse(method(members)).methodConfig("any.Service/Method");
  }

  /** Fails unless the config is refused for {@code field}, with a message holding {@code says}. */
  static ServiceConfigException refused(String json, String field, String says) {
    ServiceConfigException e =
        assertThrows(ServiceConfigException.class, () -> ServiceConfigParser.parse(json), json);
    assertEquals(field, e.field(), e.getMessage());
    assertTrue(
        e.getMessage()
            .startsWith("invalid service config: " + (field.isEmpty() ? "" : field + ": ")),
        e.getMessage());
    assertTrue(e.getMessage().contains(says), "'" + e.getMessage() + "' should say '" + says + "'");
    return e;
  }

  @Test
  void everyPerMethodField() {
    MethodConfig config =
        parseMethod(
            "\"timeout\": \"1.5s\", \"waitForReady\": true,"
                + " \"maxRequestMessageBytes\": 1024, \"maxResponseMessageBytes\": \"2048\"");
    assertEquals(new MethodConfig(Duration.ofMillis(1500), true, 1024, 2048, null, null), config);
    assertTrue(config.setsCallOptions());
  }

  @Test
  void unsetFieldsAreNull() {
    MethodConfig config = parseMethod("\"timeout\": null, \"waitForReady\": null");
    assertEquals(new MethodConfig(null, null, null, null, null, null), config);
    assertTrue(!config.setsCallOptions());
  }

  @Test
  void waitForReadyFalseIsKept() {
    assertEquals(false, parseMethod("\"waitForReady\": false").waitForReady());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "1s | PT1S",
        "0s | PT0S",
        "0.5s | PT0.5S",
        "1.000340012s | PT1.000340012S",
        "0.000000001s | PT0.000000001S",
        "2.10s | PT2.1S",
        "315576000000s | PT87660000H"
      })
  void timeouts(String text, Duration expected) {
    assertEquals(expected, parseMethod("\"timeout\": \"" + text + "\"").timeout());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "\"1\"",
        "\"1.5\"",
        "\"1500ms\"",
        "\"1m\"",
        "\" 1s\"",
        "\"1.s\"",
        "\".5s\"",
        "\"01s\"",
        "\"1.0000000001s\"",
        "\"315576000001s\"",
        "\"+1s\"",
        "\"1e3s\"",
        "1.5",
        "true",
        "{}"
      })
  void notTimeouts(String value) {
    refused(method("\"timeout\": " + value), "methodConfig[0].timeout", "must be a duration");
  }

  @Test
  void aNegativeTimeoutIsRefused() {
    refused(method("\"timeout\": \"-1s\""), "methodConfig[0].timeout", "must not be negative");
  }

  @Test
  void waitForReadyMustBeABoolean() {
    refused(
        method("\"waitForReady\": \"true\""),
        "methodConfig[0].waitForReady",
        "must be true or false, was \"true\"");
  }

  @Test
  void messageSizes() {
    assertEquals(0, parseMethod("\"maxRequestMessageBytes\": 0").maxRequestMessageBytes());
    assertEquals(
        Integer.MAX_VALUE,
        parseMethod("\"maxRequestMessageBytes\": 4294967295").maxRequestMessageBytes());
    assertEquals(5, parseMethod("\"maxResponseMessageBytes\": \"5\"").maxResponseMessageBytes());
    assertEquals(100, parseMethod("\"maxResponseMessageBytes\": 1e2").maxResponseMessageBytes());
    refused(
        method("\"maxRequestMessageBytes\": -1"),
        "methodConfig[0].maxRequestMessageBytes",
        "must be a byte count from 0 to 4294967295, was -1");
    refused(
        method("\"maxResponseMessageBytes\": 4294967296"),
        "methodConfig[0].maxResponseMessageBytes",
        "from 0 to 4294967295");
    refused(
        method("\"maxResponseMessageBytes\": 1.5"),
        "methodConfig[0].maxResponseMessageBytes",
        "must be an integer, was 1.5");
    refused(
        method("\"maxResponseMessageBytes\": \"lots\""),
        "methodConfig[0].maxResponseMessageBytes",
        "must be an integer, was \"lots\"");
  }

  @Test
  void aMethodNeedsItsService() {
    refused(
        "{\"methodConfig\": [{\"name\": [{\"method\": \"Foo\"}]}]}",
        "methodConfig[0].name[0].method",
        "is \"Foo\" but the service is empty");
  }

  @Test
  void eachNameOnceInTheWholeConfig() {
    refused(
        "{\"methodConfig\": [{\"name\": [{\"service\": \"s\", \"method\": \"m\"}]},"
            + " {\"name\": [{\"service\": \"t\"}, {\"service\": \"s\", \"method\": \"m\"}]}]}",
        "methodConfig[1].name[1]",
        "names method \"s/m\" again, as methodConfig[0].name[0] does");
    refused(
        "{\"methodConfig\": [{\"name\": [{\"service\": \"s\"}, {\"service\": \"s\", \"method\": \"\"}]}]}",
        "methodConfig[0].name[1]",
        "names service \"s\" again");
    refused(
        "{\"methodConfig\": [{\"name\": [{}]}, {\"name\": [{\"service\": \"\"}]}]}",
        "methodConfig[1].name[0]",
        "names the channel default (no service, no method) again");
  }

  @Test
  void namesMustBeObjectsOfStrings() {
    refused(
        "{\"methodConfig\": [{\"name\": {\"service\": \"s\"}}]}",
        "methodConfig[0].name",
        "must be an array, was an object");
    refused(
        "{\"methodConfig\": [{\"name\": [\"s/m\"]}]}",
        "methodConfig[0].name[0]",
        "must be a JSON object, was \"s/m\"");
    refused(
        "{\"methodConfig\": [{\"name\": [{\"service\": 7}]}]}",
        "methodConfig[0].name[0].service",
        "must be a string, was 7");
  }

  @Test
  void theShapeOfTheWhole() {
    refused("[]", "", "must be a JSON object, was an array");
    refused("{\"methodConfig\": {}}", "methodConfig", "must be an array, was an object");
    refused("{\"methodConfig\": [1]}", "methodConfig[0]", "must be a JSON object, was 1");
  }

  @Test
  void notJsonIsRefusedWithWhere() {
    ServiceConfigException e =
        refused(
            "{\"methodConfig\": [{\"name\": [{}],}]}",
            "",
            "not JSON: line 1, column 33: unexpected '}', expected a member name");
    assertInstanceOf(JsonException.class, e.getCause());
  }

  @Test
  void unknownFieldsAreIgnored() {
    ServiceConfig config =
        ServiceConfigParser.parse(
            "{\"UnknownField\": \"value\", \"methodConfig\": [{\"name\": [{}], \"futureKnob\": [1],"
                + " \"timeout\": \"1s\"}]}");
    assertEquals(Duration.ofSeconds(1), config.methodConfig("a/b").timeout());
    assertEquals("value", config.json().get("UnknownField"));
  }

  @Test
  void healthCheckConfig() {
    assertEquals(
        new HealthCheckConfig("foo"),
        ServiceConfigParser.parse("{\"healthCheckConfig\": {\"serviceName\": \"foo\"}}")
            .healthCheckConfig());
    assertEquals(
        new HealthCheckConfig(""),
        ServiceConfigParser.parse("{\"healthCheckConfig\": {\"serviceName\": \"\"}}")
            .healthCheckConfig());
    // A17: unset, health checking is off.
    assertNull(ServiceConfigParser.parse("{\"healthCheckConfig\": {}}").healthCheckConfig());
    refused(
        "{\"healthCheckConfig\": {\"serviceName\": 1}}",
        "healthCheckConfig.serviceName",
        "must be a string");
    refused("{\"healthCheckConfig\": \"foo\"}", "healthCheckConfig", "must be a JSON object");
  }

  @Test
  void parsesJsonValuesToo() {
    ServiceConfig config =
        ServiceConfigParser.parse(
            (Object)
                Map.of(
                    "methodConfig",
                    java.util.List.of(
                        Map.of("name", java.util.List.of(Map.of()), "waitForReady", true))),
            LoadBalancingConfig.BUILT_IN_POLICIES);
    assertEquals(true, config.methodConfig("a/b").waitForReady());
  }
}
