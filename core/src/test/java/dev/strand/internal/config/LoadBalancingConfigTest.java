package dev.strand.internal.config;

import static dev.strand.internal.config.ServiceConfigParserTest.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** loadBalancingConfig (the first policy this client has wins) and loadBalancingPolicy. */
class LoadBalancingConfigTest {
  private static LoadBalancingConfig lb(String json) {
    return ServiceConfigParser.parse(json).loadBalancingConfig();
  }

  @Test
  void theFirstPolicyThisClientHasWins() {
    LoadBalancingConfig chosen =
        lb(
            "{\"loadBalancingConfig\": [{\"weighted_round_robin\": {\"x\": 1}},"
                + " {\"round_robin\": {}}, {\"pick_first\": {}}]}");
    assertEquals(new LoadBalancingConfig("round_robin", Map.of()), chosen);
  }

  @Test
  void pickFirstKeepsItsConfig() {
    LoadBalancingConfig chosen =
        lb("{\"loadBalancingConfig\": [{\"pick_first\": {\"shuffleAddressList\": true}}]}");
    assertEquals("pick_first", chosen.policy());
    assertTrue(chosen.shuffleAddressList());
    assertEquals(Map.of("shuffleAddressList", true), chosen.config());
    assertFalse(lb("{\"loadBalancingConfig\": [{\"pick_first\": {}}]}").shuffleAddressList());
    refused(
        "{\"loadBalancingConfig\": [{\"pick_first\": {\"shuffleAddressList\": \"yes\"}}]}",
        "loadBalancingConfig[0].pick_first.shuffleAddressList",
        "must be true or false");
  }

  @Test
  void anotherClientsPoliciesCanBeOffered() {
    LoadBalancingConfig chosen =
        ServiceConfigParser.parse(
                "{\"loadBalancingConfig\": [{\"mine\": {\"k\": [1]}}, {\"round_robin\": {}}]}",
                Set.of("mine", "round_robin"))
            .loadBalancingConfig();
    assertEquals("mine", chosen.policy());
    assertEquals(Map.of("k", java.util.List.of(1.0)), chosen.config());
  }

  @Test
  void noPolicyThisClientHasIsInvalid() {
    refused(
        "{\"loadBalancingConfig\": [{\"UnknownPolicy1\": {}}, {\"UnknownPolicy2\": {}}]}",
        "loadBalancingConfig",
        "names no policy this client has: [UnknownPolicy1, UnknownPolicy2] (it has pick_first,"
            + " round_robin)");
  }

  @Test
  void everyEntryIsOneObjectOfOneMember() {
    refused(
        "{\"loadBalancingConfig\": [{\"round_robin\": {}, \"pick_first\": {}}]}",
        "loadBalancingConfig[0]",
        "must have exactly one member");
    refused("{\"loadBalancingConfig\": [{}]}", "loadBalancingConfig[0]", "has 0");
    refused(
        "{\"loadBalancingConfig\": [{\"round_robin\": {}}, \"pick_first\"]}",
        "loadBalancingConfig[1]",
        "must be a JSON object");
    refused(
        "{\"loadBalancingConfig\": [{\"round_robin\": []}]}",
        "loadBalancingConfig[0].round_robin",
        "must be a JSON object");
    refused(
        "{\"loadBalancingConfig\": {\"round_robin\": {}}}",
        "loadBalancingConfig",
        "must be an array");
  }

  @Test
  void theDeprecatedPolicyName() {
    assertEquals(
        new LoadBalancingConfig("round_robin", Map.of()),
        lb("{\"loadBalancingPolicy\": \"ROUND_ROBIN\"}"));
    assertEquals("pick_first", lb("{\"loadBalancingPolicy\": \"pick_first\"}").policy());
    refused(
        "{\"loadBalancingPolicy\": \"UnknownPolicy\"}",
        "loadBalancingPolicy",
        "\"UnknownPolicy\" is not a policy this client has");
    refused("{\"loadBalancingPolicy\": 1}", "loadBalancingPolicy", "must be a string");
  }

  @Test
  void theListWinsOverTheDeprecatedName() {
    assertEquals(
        "pick_first",
        lb("{\"loadBalancingPolicy\": \"round_robin\", \"loadBalancingConfig\": [{\"pick_first\": {}}]}")
            .policy());
    // An empty list chooses nothing, so the name does.
    assertEquals(
        "round_robin",
        lb("{\"loadBalancingPolicy\": \"round_robin\", \"loadBalancingConfig\": []}").policy());
    assertNull(lb("{\"loadBalancingConfig\": []}"));
  }
}
