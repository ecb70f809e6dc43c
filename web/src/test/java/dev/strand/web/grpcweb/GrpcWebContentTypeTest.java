package dev.strand.web.grpcweb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GrpcWebContentTypeTest {
  @Test
  void theFourServedTypes() {
    assertEquals(
        new GrpcWebContentType(false, null), GrpcWebContentType.parse("application/grpc-web"));
    assertEquals(
        new GrpcWebContentType(false, "proto"),
        GrpcWebContentType.parse("application/grpc-web+proto"));
    assertEquals(
        new GrpcWebContentType(true, null), GrpcWebContentType.parse("application/grpc-web-text"));
    assertEquals(
        new GrpcWebContentType(true, "proto"),
        GrpcWebContentType.parse("Application/GRPC-Web-Text+proto; charset=utf-8"));
    assertTrue(GrpcWebContentType.parse("application/grpc-web-text+proto").isProto());
  }

  @Test
  void otherFormatsAreClaimedButNotProto() {
    GrpcWebContentType json = GrpcWebContentType.parse("application/grpc-web+json");
    assertFalse(json.isProto());
  }

  @Test
  void whatIsNotGrpcWeb() {
    assertNull(GrpcWebContentType.parse(null));
    assertNull(GrpcWebContentType.parse("application/grpc"));
    assertNull(GrpcWebContentType.parse("application/grpc+proto"));
    assertNull(GrpcWebContentType.parse("application/grpc-webby"));
    assertNull(GrpcWebContentType.parse("application/grpc-web-textual"));
    assertNull(GrpcWebContentType.parse("text/plain"));
  }

  @Test
  void theResponseTypeKeepsTheFormat() {
    GrpcWebContentType binary = GrpcWebContentType.parse("application/grpc-web+proto");
    assertEquals("application/grpc-web+proto", binary.responseHeader(false));
    assertEquals("application/grpc-web-text+proto", binary.responseHeader(true));
    assertEquals(
        "application/grpc-web-text",
        GrpcWebContentType.parse("application/grpc-web-text").responseHeader(true));
  }
}
