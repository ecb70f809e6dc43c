package dev.strand.web.connect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.Status;
import dev.strand.internal.wire.HttpStatusMapping;
import io.grpc.testing.integration.Messages.EchoStatus;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Connect's pieces on their own: content types, timeouts, headers, the JSON, GET queries. */
class ConnectPiecesTest {

  @Test
  void contentTypes() {
    assertEquals(
        new ConnectContentType(false, "json"), ConnectContentType.parse("application/json"));
    assertEquals(
        new ConnectContentType(false, "json"),
        ConnectContentType.parse("Application/JSON; charset=utf-8"));
    assertEquals(
        new ConnectContentType(false, "proto"), ConnectContentType.parse("application/proto"));
    assertEquals(
        new ConnectContentType(true, "proto"),
        ConnectContentType.parse("application/connect+proto"));
    assertEquals(
        new ConnectContentType(true, "xml"), ConnectContentType.parse("application/connect+xml"));
    assertNull(ConnectContentType.parse("application/connect+"));
    assertNull(ConnectContentType.parse("application/grpc"));
    assertNull(ConnectContentType.parse("application/xml"));
    assertNull(ConnectContentType.parse(null));
    assertEquals("application/connect+json", new ConnectContentType(true, "json").header());
  }

  @Test
  void connectTimeoutMsBecomesGrpcTimeout() {
    assertEquals("1m", ConnectHeaders.grpcTimeout("1"));
    assertEquals("99999999m", ConnectHeaders.grpcTimeout("99999999"));
    // Over gRPC's 8 digits: seconds, rounded up, never shorter than asked.
    assertEquals("100000S", ConnectHeaders.grpcTimeout("100000000"));
    assertEquals("100001S", ConnectHeaders.grpcTimeout("100000001"));
    assertEquals("10000000S", ConnectHeaders.grpcTimeout("9999999999"));
    for (String bad : new String[] {"", "0", "-1", "1.5", "12345678901", "1e3", " 5"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> ConnectHeaders.grpcTimeout(bad));
      assertTrue(e.getMessage().contains("connect-timeout-ms"), e::getMessage);
    }
  }

  @Test
  void aConnectRequestAsGrpcKeepsMetadataAndTranslatesTheProtocolHeaders() {
    Http2Headers connect =
        new DefaultHttp2Headers()
            .method("POST")
            .path("/p.S/M")
            .scheme("http")
            .authority("h")
            .add("content-type", "application/json")
            .add("connect-protocol-version", "1")
            .add("content-length", "5")
            .add("x-user", "u")
            .add("x-data-bin", "AQI")
            .add("grpc-timeout", "1n");
    Http2Headers grpc =
        ConnectHeaders.toGrpc(connect, "/p.S/M", "gzip", "br;q=1.0, gzip;q=0.5", "5m");
    assertEquals("application/grpc", grpc.get("content-type").toString());
    assertEquals("gzip", grpc.get("grpc-encoding").toString());
    assertEquals("br,gzip", grpc.get("grpc-accept-encoding").toString());
    assertEquals("5m", grpc.get("grpc-timeout").toString(), "the client's own grpc-timeout is not");
    assertEquals("u", grpc.get("x-user").toString());
    assertEquals("AQI", grpc.get("x-data-bin").toString());
    assertFalse(grpc.contains("connect-protocol-version"));
    assertFalse(grpc.contains("content-length"));
    assertEquals(
        "gzip",
        ConnectHeaders.toGrpc(connect, "/p.S/M", "gzip", null, null)
            .get("grpc-accept-encoding")
            .toString(),
        "no accept list: the client reads what it sent");
    assertFalse(
        ConnectHeaders.toGrpc(connect, "/p.S/M", "identity", null, null).contains("grpc-encoding"));
  }

  @Test
  void errorJsonNamesTheCodeEscapesTheMessageAndCarriesDetails() throws Exception {
    EchoStatus detail = EchoStatus.newBuilder().setCode(5).setMessage("x").build();
    String json =
        new String(
            ConnectJson.error(
                Status.CANCELLED.withDescription("a \"quoted\"\\ line\n\u0001 \u263a"),
                LookupService.rpcStatus(detail)),
            StandardCharsets.UTF_8);
    assertEquals(
        "{\"code\":\"canceled\",\"message\":\"a \\\"quoted\\\"\\\\ line\\n\\u0001 \u263a\","
            + "\"details\":[{\"type\":\"grpc.testing.EchoStatus\",\"value\":\""
            + java.util.Base64.getEncoder().withoutPadding().encodeToString(detail.toByteArray())
            + "\"}]}",
        json);
    assertEquals(
        "{\"code\":\"resource_exhausted\"}",
        new String(ConnectJson.error(Status.RESOURCE_EXHAUSTED, null), StandardCharsets.UTF_8));
    assertEquals(List.of(), StatusDetails.parse(new byte[] {(byte) 0xff, 1}), "not a Status");
  }

  @Test
  void endStreamMessage() {
    assertEquals(
        "{}", new String(ConnectJson.endStream(Status.OK, null, Map.of()), StandardCharsets.UTF_8));
    assertEquals(
        "{\"error\":{\"code\":\"unavailable\",\"message\":\"overloaded\"},"
            + "\"metadata\":{\"k\":[\"a\",\"b\"]}}",
        new String(
            ConnectJson.endStream(
                Status.UNAVAILABLE.withDescription("overloaded"),
                null,
                Map.of("k", List.of("a", "b"))),
            StandardCharsets.UTF_8));
  }

  @Test
  void everyCodeHasTheSpecsHttpStatus() {
    assertEquals(400, HttpStatusMapping.httpStatusFor(Status.Code.INVALID_ARGUMENT));
    assertEquals(400, HttpStatusMapping.httpStatusFor(Status.Code.FAILED_PRECONDITION));
    assertEquals(400, HttpStatusMapping.httpStatusFor(Status.Code.OUT_OF_RANGE));
    assertEquals(401, HttpStatusMapping.httpStatusFor(Status.Code.UNAUTHENTICATED));
    assertEquals(403, HttpStatusMapping.httpStatusFor(Status.Code.PERMISSION_DENIED));
    assertEquals(404, HttpStatusMapping.httpStatusFor(Status.Code.NOT_FOUND));
    assertEquals(409, HttpStatusMapping.httpStatusFor(Status.Code.ALREADY_EXISTS));
    assertEquals(409, HttpStatusMapping.httpStatusFor(Status.Code.ABORTED));
    assertEquals(429, HttpStatusMapping.httpStatusFor(Status.Code.RESOURCE_EXHAUSTED));
    assertEquals(499, HttpStatusMapping.httpStatusFor(Status.Code.CANCELLED));
    assertEquals(500, HttpStatusMapping.httpStatusFor(Status.Code.UNKNOWN));
    assertEquals(500, HttpStatusMapping.httpStatusFor(Status.Code.INTERNAL));
    assertEquals(500, HttpStatusMapping.httpStatusFor(Status.Code.DATA_LOSS));
    assertEquals(501, HttpStatusMapping.httpStatusFor(Status.Code.UNIMPLEMENTED));
    assertEquals(503, HttpStatusMapping.httpStatusFor(Status.Code.UNAVAILABLE));
    assertEquals(504, HttpStatusMapping.httpStatusFor(Status.Code.DEADLINE_EXCEEDED));
    assertEquals("deadline_exceeded", ConnectCodes.name(Status.Code.DEADLINE_EXCEEDED));
  }

  @Test
  void getQueriesInAnyOrderWithUnknownParametersAndEitherBase64() throws Exception {
    GetRequest json =
        GetRequest.parse("/p.S/M?x=1&message=%7B%22a%22%3A1%7D&connect=v1&encoding=json");
    assertEquals("/p.S/M", json.path());
    assertEquals("json", json.encoding());
    assertEquals("{\"a\":1}", new String(json.message(), StandardCharsets.UTF_8));
    byte[] bytes = {(byte) 0xfb, (byte) 0xff, 0x01};
    for (String encoded : new String[] {"-_8B", "%2B%2F8B", "-_8B%3D%3D".substring(0, 4)}) {
      GetRequest proto = GetRequest.parse("/p.S/M?encoding=proto&base64=1&message=" + encoded);
      assertArrayEquals(bytes, proto.message(), encoded);
    }
    assertArrayEquals(
        new byte[] {(byte) 0xfb, (byte) 0xff},
        GetRequest.parse("/p.S/M?encoding=proto&base64=1&message=-_8%3D").message(),
        "padding, percent-encoded, is allowed");
    assertEquals(
        "gzip", GetRequest.parse("/p.S/M?encoding=proto&compression=gzip&message=").compression());
    GetRequest.BadQueryException noEncoding =
        assertThrows(
            GetRequest.BadQueryException.class, () -> GetRequest.parse("/p.S/M?message=x"));
    assertTrue(noEncoding.unsupportedMedia);
    GetRequest.BadQueryException badVersion =
        assertThrows(
            GetRequest.BadQueryException.class,
            () -> GetRequest.parse("/p.S/M?encoding=json&message=x&connect=v2"));
    assertFalse(badVersion.unsupportedMedia);
    assertThrows(
        GetRequest.BadQueryException.class,
        () -> GetRequest.parse("/p.S/M?encoding=proto&base64=1&message=a*b"));
    assertThrows(
        GetRequest.BadQueryException.class, () -> GetRequest.parse("/p.S/M?encoding=json"));
    assertThrows(
        GetRequest.BadQueryException.class,
        () -> GetRequest.parse("/p.S/M?encoding=json&message=%zz"));
  }
}
