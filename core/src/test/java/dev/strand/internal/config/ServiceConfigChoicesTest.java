package dev.strand.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** gRFC A2's choices: the first whose language, percentage and hostname all match wins. */
class ServiceConfigChoicesTest {
  private static final String RR = "{\"loadBalancingConfig\":[{\"round_robin\":{}}]}";

  @Test
  void theFirstMatchingChoiceWins() {
    String choices =
        "[{\"clientLanguage\":[\"go\",\"c++\"],\"serviceConfig\":{}},"
            + "{\"clientLanguage\":[\"JAVA\"],\"serviceConfig\":"
            + RR
            + "},{\"serviceConfig\":{\"methodConfig\":[]}}]";
    assertEquals(RR, ServiceConfigChoices.select(choices, "host-a", 50));
  }

  @Test
  void percentageAndHostnameNarrowTheChoice() {
    String choices =
        "[{\"percentage\":25,\"serviceConfig\":"
            + RR
            + "},{\"clientHostname\":[\"host-b\"],\"serviceConfig\":{\"methodConfig\":[]}}]";
    assertEquals(RR, ServiceConfigChoices.select(choices, "host-a", 24));
    assertEquals("{\"methodConfig\":[]}", ServiceConfigChoices.select(choices, "host-b", 25));
    assertNull(ServiceConfigChoices.select(choices, "host-a", 25), "no choice matches");
  }

  @Test
  void aMalformedListIsRefusedNamingTheField() {
    for (String bad :
        new String[] {
          "{}",
          "[1]",
          "[{\"serviceConfig\":1}]",
          "[{\"percentage\":101,\"serviceConfig\":{}}]",
          "[{\"colour\":\"blue\",\"serviceConfig\":{}}]",
          "[{\"clientLanguage\":\"java\"," + "\"serviceConfig\":{}}]",
          "not json"
        }) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> ServiceConfigChoices.select(bad, "h", 0), bad);
      assertTrue(e.getMessage().contains("grpc_config"), e.getMessage());
    }
  }

  @Test
  void theChosenConfigRoundTripsThroughTheParser() {
    String config =
        "{\"methodConfig\":[{\"name\":[{\"service\":\"a.B\"}],\"timeout\":\"1.5s\","
            + "\"maxRequestMessageBytes\":1024}],\"retryThrottling\":{\"maxTokens\":10,"
            + "\"tokenRatio\":0.1}}";
    String chosen = ServiceConfigChoices.select("[{\"serviceConfig\":" + config + "}]", "h", 0);
    assertEquals(config, chosen);
    ServiceConfig parsed = ServiceConfigParser.parse(chosen);
    assertEquals(100, parsed.retryThrottling().tokenRatioThousandths());
  }
}
