package dev.strand.internal.config;

import static dev.strand.internal.config.ServiceConfigParserTest.method;
import static dev.strand.internal.config.ServiceConfigParserTest.parseMethod;
import static dev.strand.internal.config.ServiceConfigParserTest.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.strand.Status.Code;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** retryPolicy, hedgingPolicy and retryThrottling, validated as A6 says. */
class RetryConfigTest {
  private static final String RETRY =
      "\"maxAttempts\": 4, \"initialBackoff\": \"0.1s\", \"maxBackoff\": \"1s\","
          + " \"backoffMultiplier\": 2, \"retryableStatusCodes\": [\"UNAVAILABLE\"]";

  private static String retry(String members) {
    return method("\"retryPolicy\": {" + members + "}");
  }

  private static RetryPolicy parseRetry(String members) {
    return parseMethod("\"retryPolicy\": {" + members + "}").retryPolicy();
  }

  /** A6's own example with one member replaced or (value null) removed. */
  private static String retryWith(String key, String value) {
    StringBuilder members = new StringBuilder();
    for (String member : RETRY.split(", (?=\")")) {
      if (!member.startsWith("\"" + key + "\"")) {
        members.append(members.length() == 0 ? "" : ", ").append(member);
      }
    }
    if (value != null) {
      members.append(", \"").append(key).append("\": ").append(value);
    }
    return retry(members.toString());
  }

  @Test
  void a6sRetryExample() {
    assertEquals(
        new RetryPolicy(
            4, Duration.ofMillis(100), Duration.ofSeconds(1), 2.0, Set.of(Code.UNAVAILABLE)),
        parseRetry(RETRY));
  }

  @Test
  void moreThanFiveAttemptsMeansFive() {
    assertEquals(
        5,
        ServiceConfigParser.parse(retryWith("maxAttempts", "100"))
            .methodConfig("a/b")
            .retryPolicy()
            .maxAttempts());
    assertEquals(
        2,
        ServiceConfigParser.parse(retryWith("maxAttempts", "\"2\""))
            .methodConfig("a/b")
            .retryPolicy()
            .maxAttempts());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "maxAttempts | | is required",
        "maxAttempts | 1 | must be at least 2",
        "maxAttempts | 0 | must be at least 2",
        "maxAttempts | 2.5 | must be an integer",
        "initialBackoff | | is required",
        "initialBackoff | \"0s\" | must be greater than 0, was \"0s\"",
        "initialBackoff | \"-1s\" | must be greater than 0",
        "initialBackoff | \"100ms\" | must be a duration",
        "maxBackoff | | is required",
        "maxBackoff | \"0s\" | must be greater than 0",
        "backoffMultiplier | | is required",
        "backoffMultiplier | 0 | must be greater than 0, was 0",
        "backoffMultiplier | -1.5 | must be greater than 0",
        "backoffMultiplier | \"x\" | must be a number",
        "retryableStatusCodes | | is required",
        "retryableStatusCodes | [] | must name at least one status code",
        "retryableStatusCodes | \"UNAVAILABLE\" | must be an array",
      })
  void retryRules(String field, String value, String says) {
    refused(retryWith(field, value), "methodConfig[0].retryPolicy." + field, says);
  }

  @Test
  void statusCodesByNameInAnyCaseOrByNumber() {
    assertEquals(
        EnumSet.of(Code.UNAVAILABLE, Code.DEADLINE_EXCEEDED, Code.ABORTED, Code.UNAUTHENTICATED),
        parseRetry(RETRY.replace("[\"UNAVAILABLE\"]", "[\"unavailable\", 4, \"Aborted\", 16, 14]"))
            .retryableStatusCodes());
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"UNAVAILBLE\"", "17", "-1", "14.5", "\"14\"", "null", "[]"})
  void notStatusCodes(String code) {
    refused(
        retryWith("retryableStatusCodes", "[\"ABORTED\", " + code + "]"),
        "methodConfig[0].retryPolicy.retryableStatusCodes[1]",
        "must be a status code, by number (0-16) or name (\"UNAVAILABLE\")");
  }

  @Test
  void okIsNeverRetryable() {
    refused(
        retryWith("retryableStatusCodes", "[\"ok\"]"),
        "methodConfig[0].retryPolicy.retryableStatusCodes[0]",
        "must not be OK");
    refused(
        retryWith("retryableStatusCodes", "[14, 0]"),
        "methodConfig[0].retryPolicy.retryableStatusCodes[1]",
        "must not be OK");
  }

  @Test
  void a6sHedgingExample() {
    HedgingPolicy hedging =
        parseMethod(
                "\"hedgingPolicy\": {\"maxAttempts\": 4, \"hedgingDelay\": \"0.5s\","
                    + " \"nonFatalStatusCodes\": [\"UNAVAILABLE\", \"INTERNAL\", \"ABORTED\"]}")
            .hedgingPolicy();
    assertEquals(
        new HedgingPolicy(
            4, Duration.ofMillis(500), Set.of(Code.UNAVAILABLE, Code.INTERNAL, Code.ABORTED)),
        hedging);
  }

  @Test
  void hedgingDelayAndNonFatalCodesAreOptional() {
    assertEquals(
        new HedgingPolicy(5, Duration.ZERO, Set.of()),
        parseMethod("\"hedgingPolicy\": {\"maxAttempts\": 7, \"nonFatalStatusCodes\": []}")
            .hedgingPolicy());
    assertNull(parseMethod("\"hedgingPolicy\": {\"maxAttempts\": 2}").retryPolicy());
  }

  @Test
  void hedgingRules() {
    String hedging = "methodConfig[0].hedgingPolicy.";
    refused(method("\"hedgingPolicy\": {}"), hedging + "maxAttempts", "is required");
    refused(
        method("\"hedgingPolicy\": {\"maxAttempts\": 1}"), hedging + "maxAttempts", "at least 2");
    refused(
        method("\"hedgingPolicy\": {\"maxAttempts\": 2, \"hedgingDelay\": \"-0.1s\"}"),
        hedging + "hedgingDelay",
        "must not be negative");
    refused(
        method("\"hedgingPolicy\": {\"maxAttempts\": 2, \"hedgingDelay\": 5}"),
        hedging + "hedgingDelay",
        "must be a duration");
    refused(
        method("\"hedgingPolicy\": {\"maxAttempts\": 2, \"nonFatalStatusCodes\": [\"OK\"]}"),
        hedging + "nonFatalStatusCodes[0]",
        "must not be OK");
    refused(
        method("\"hedgingPolicy\": {\"maxAttempts\": 2, \"nonFatalStatusCodes\": [\"NOPE\"]}"),
        hedging + "nonFatalStatusCodes[0]",
        "must be a status code");
  }

  @Test
  void retryAndHedgingExcludeEachOther() {
    refused(
        method("\"retryPolicy\": {" + RETRY + "}, \"hedgingPolicy\": {\"maxAttempts\": 2}"),
        "methodConfig[0].hedgingPolicy",
        "is set together with retryPolicy");
  }

  @Test
  void aPolicyMustBeAnObject() {
    refused(
        method("\"retryPolicy\": true"), "methodConfig[0].retryPolicy", "must be a JSON object");
  }

  private static RetryThrottling throttling(String members) {
    return ServiceConfigParser.parse("{\"retryThrottling\": {" + members + "}}").retryThrottling();
  }

  @Test
  void a6sThrottlingExample() {
    RetryThrottling throttling = throttling("\"maxTokens\": 10, \"tokenRatio\": 0.1");
    assertEquals(new RetryThrottling(10_000, 100), throttling);
    assertEquals(10.0, throttling.maxTokens());
    assertEquals(0.1, throttling.tokenRatio());
  }

  @Test
  void throttlingKeepsThreeDecimals() {
    assertEquals(
        546, throttling("\"maxTokens\": 1, \"tokenRatio\": 0.5466").tokenRatioThousandths());
    // 0.57 × 1000 is 569.99... in binary; the decimal 0.57 is meant.
    assertEquals(570, throttling("\"maxTokens\": 1, \"tokenRatio\": 0.57").tokenRatioThousandths());
    assertEquals(
        1_000_000, throttling("\"maxTokens\": 1000, \"tokenRatio\": 1").maxTokensThousandths());
    assertEquals(
        2_500, throttling("\"maxTokens\": 2.5009, \"tokenRatio\": 1").maxTokensThousandths());
    // Above zero, as A6 asks, even if no whole thousandth is left.
    assertEquals(0, throttling("\"maxTokens\": 1, \"tokenRatio\": 0.0001").tokenRatioThousandths());
  }

  @Test
  void throttlingRules() {
    String t = "{\"retryThrottling\": {";
    refused(t + "\"tokenRatio\": 1}}", "retryThrottling.maxTokens", "is required");
    refused(t + "\"maxTokens\": 0, \"tokenRatio\": 1}}", "retryThrottling.maxTokens", "(0, 1000]");
    refused(
        t + "\"maxTokens\": 1000.5, \"tokenRatio\": 1}}", "retryThrottling.maxTokens", "(0, 1000]");
    refused(t + "\"maxTokens\": -3, \"tokenRatio\": 1}}", "retryThrottling.maxTokens", "(0, 1000]");
    refused(
        t + "\"maxTokens\": 0.0001, \"tokenRatio\": 1}}",
        "retryThrottling.maxTokens",
        "at least 0.001");
    refused(t + "\"maxTokens\": 1}}", "retryThrottling.tokenRatio", "is required");
    refused(
        t + "\"maxTokens\": 1, \"tokenRatio\": 0}}",
        "retryThrottling.tokenRatio",
        "must be greater than 0");
    refused(
        t + "\"maxTokens\": true, \"tokenRatio\": 1}}",
        "retryThrottling.maxTokens",
        "must be a number");
  }
}
