package dev.strand;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.server.Cors;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The CORS settings value: which origins it allows, how it normalises, what it refuses. */
class CorsTest {

  @Test
  void exactOriginsMatchWithoutCaseAndNothingElse() {
    Cors cors = Cors.allowOrigins("https://App.example", "http://localhost:5173");
    assertEquals(Set.of("https://app.example", "http://localhost:5173"), cors.origins());
    assertTrue(cors.allowsOrigin("https://app.example"));
    assertTrue(cors.allowsOrigin("HTTPS://APP.EXAMPLE"));
    assertTrue(cors.allowsOrigin("http://localhost:5173"));
    assertFalse(cors.allowsOrigin("http://app.example"), "another scheme");
    assertFalse(cors.allowsOrigin("https://app.example:8443"), "another port");
    assertFalse(cors.allowsOrigin("https://evil.app.example"), "a subdomain");
    assertFalse(cors.allowsOrigin("null"));
  }

  @Test
  void anyOriginButTheOpaqueOneUnlessNamed() {
    assertTrue(Cors.allowAnyOrigin().allowsOrigin("https://anything.example:1"));
    assertFalse(Cors.allowAnyOrigin().allowsOrigin("null"));
    assertTrue(Cors.allowOrigins("*", "null").allowsOrigin("null"));
  }

  @Test
  void eachSettingIsACopyAndHeaderNamesAreLowerCasedOnce() {
    Cors base = Cors.allowOrigins("https://a.example");
    Cors more =
        base.allowHeaders("Authorization", "X-Id", "authorization")
            .exposeHeaders("X-Id")
            .maxAge(Duration.ofSeconds(90))
            .allowCredentials();
    assertNotSame(base, more);
    assertEquals(List.of(), base.allowedHeaders());
    assertFalse(base.allowsCredentials());
    assertEquals(Duration.ofHours(2), base.maxAge(), "the default, Chrome's cap");
    assertEquals(List.of("authorization", "x-id"), more.allowedHeaders());
    assertEquals(List.of("x-id"), more.exposedHeaders());
    assertEquals(Duration.ofSeconds(90), more.maxAge());
    assertTrue(more.allowsCredentials());
  }

  @Test
  void whatIsNotAnOriginOrAHeaderNameIsRefused() {
    for (String bad :
        List.of(
            "",
            "a.example",
            "https://",
            "https://a.example/",
            "https://a.example/path",
            "https://*.example",
            "https://a.example, https://b.example",
            "https://a b")) {
      assertThrows(IllegalArgumentException.class, () -> Cors.allowOrigins(bad), bad);
    }
    assertThrows(IllegalArgumentException.class, Cors::allowOrigins);
    Cors cors = Cors.allowOrigins("https://a.example");
    assertThrows(IllegalArgumentException.class, () -> cors.allowHeaders("x id"));
    assertThrows(IllegalArgumentException.class, () -> cors.exposeHeaders("x:id"));
    assertThrows(IllegalArgumentException.class, () -> cors.maxAge(Duration.ofSeconds(-1)));
    IllegalArgumentException credentials =
        assertThrows(
            IllegalArgumentException.class, () -> Cors.allowAnyOrigin().allowCredentials());
    assertTrue(credentials.getMessage().contains("list of origins"), credentials::getMessage);
  }
}
