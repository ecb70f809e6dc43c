package dev.strand.netty.headers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.Metadata;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Header blocks HPACK-encoded by Netty's encoder and decoded by Strand's decoder, as a connection
 * does: what a handler sees, and what a malformed block does to its stream.
 */
public class InboundHeadersTest {
  private final DefaultHttp2HeadersEncoder encoder = new DefaultHttp2HeadersEncoder();
  private final InboundHeadersDecoder decoder = new InboundHeadersDecoder(8192);

  private static Http2Headers request() {
    Http2Headers headers =
        new DefaultHttp2Headers(false)
            .method("POST")
            .scheme("http")
            .path("/pkg.Svc/Call")
            .authority("localhost:1");
    headers.add("content-type", "application/grpc");
    headers.add("te", "trailers");
    headers.add("x-tag", "a");
    headers.add("x-tag", "b");
    headers.add("x-bin", "AQI");
    return headers;
  }

  private Http2Headers roundTrip(int streamId, Http2Headers headers) throws Http2Exception {
    ByteBuf block = Unpooled.buffer();
    try {
      encoder.encodeHeaders(streamId, headers, block);
      return decoder.decodeHeaders(streamId, block);
    } finally {
      block.release();
    }
  }

  private void assertStreamError(Http2Headers headers, String messagePart) {
    Http2Exception e = assertThrows(Http2Exception.class, () -> roundTrip(3, headers));
    assertInstanceOf(Http2Exception.StreamException.class, e, e.toString());
    assertEquals(Http2Error.PROTOCOL_ERROR, e.error());
    assertTrue(e.getMessage().contains(messagePart), e.getMessage());
  }

  @Test
  void requestBlockReadsAsSent() throws Exception {
    Http2Headers headers = roundTrip(3, request());
    assertInstanceOf(InboundHeaders.class, headers);
    assertEquals("POST", headers.method().toString());
    assertEquals("http", headers.scheme().toString());
    assertEquals("/pkg.Svc/Call", headers.path().toString());
    assertEquals("localhost:1", headers.authority().toString());
    assertNull(headers.status());
    assertEquals("application/grpc", headers.get("content-type").toString());
    assertEquals(List.of("a", "b"), strings(headers.getAll("x-tag")));
    assertEquals(List.of(), headers.getAll("absent"));
    assertEquals(9, headers.size());
    assertTrue(headers.contains("x-tag", "B", true));

    List<String> names = new ArrayList<>();
    for (Map.Entry<CharSequence, CharSequence> entry : headers) {
      names.add(entry.getKey().toString());
    }
    assertEquals(
        List.of(
            ":method",
            ":scheme",
            ":authority",
            ":path",
            "content-type",
            "te",
            "x-tag",
            "x-tag",
            "x-bin"),
        names);

    Metadata metadata = HeadersCodec.toMetadata(headers);
    assertEquals(List.of("a", "b"), metadata.getAll("x-tag"));
    assertEquals(2, metadata.getBinary("x-bin").length);
    assertNull(metadata.get("te"));
  }

  /** From the second call on, every field comes from HPACK's dynamic table. */
  @Test
  void repeatedBlockFromTheDynamicTableReadsTheSame() throws Exception {
    Http2Headers first = roundTrip(3, request());
    Http2Headers second = roundTrip(5, request());
    assertEquals(first.toString(), second.toString());
    assertTrue(first.path() == second.path(), "the same :path instance from the table");
  }

  @Test
  void uppercaseNameFailsTheStream() {
    Http2Headers headers = request();
    headers.add("X-Upper", "v");
    assertStreamError(headers, "invalid header name 'X-Upper'");
  }

  @Test
  void nameThatIsNotATokenFailsTheStream() {
    Http2Headers headers = request();
    headers.add("bad name", "v");
    assertStreamError(headers, "invalid header name");
  }

  @Test
  void controlCharacterInValueFailsTheStream() {
    for (String value : new String[] {"a\r\nb", "a\0b", " padded"}) {
      Http2Headers headers = request();
      headers.add("x-value", value);
      assertStreamError(headers, "the value of header 'x-value' contains a prohibited character");
    }
  }

  /** A name validated once stays valid; a new bad value under it is still caught. */
  @Test
  void badValueAfterGoodBlocksStillFails() throws Exception {
    roundTrip(3, request());
    roundTrip(5, request());
    Http2Headers headers = request();
    headers.set("x-tag", "line\nbreak");
    assertStreamError(headers, "prohibited character");
  }

  @Test
  void duplicatePseudoHeaderFailsTheStream() {
    Http2Headers headers = new DefaultHttp2Headers(false);
    headers.add(":path", "/a/b");
    headers.add(":path", "/c/d");
    headers.method("POST");
    assertStreamError(headers, "pseudo-header ':path' appears twice");
  }

  @Test
  void emptyPseudoHeaderFailsTheStream() {
    Http2Headers headers = request();
    headers.set(":authority", "");
    assertStreamError(headers, "pseudo-header ':authority' is empty");
  }

  @Test
  void unknownPseudoHeaderFailsTheStream() {
    Http2Headers headers = request();
    Http2Headers withUnknown = new DefaultHttp2Headers(false);
    withUnknown.add(":bogus", "x");
    withUnknown.add(headers);
    assertStreamError(withUnknown, "unknown pseudo-header ':bogus'");
  }

  /** Netty's own structural checks still run on Strand's headers. */
  @Test
  void connectionSpecificHeaderFailsTheStream() {
    Http2Headers headers = request();
    headers.add("connection", "keep-alive");
    assertStreamError(headers, "connection-specific header");
  }

  @Test
  void contentLengthCanBeRewrittenAsNettysDecoderDoes() throws Exception {
    Http2Headers headers = roundTrip(3, request().add("content-length", "0012"));
    headers.setLong("content-length", 12);
    assertEquals(List.of("12"), strings(headers.getAll("content-length")));
    assertThrows(UnsupportedOperationException.class, () -> headers.setLong("x-tag", 1));
    assertThrows(UnsupportedOperationException.class, () -> headers.add(headers));
  }

  @Test
  void responseBlockHasStatus() throws Exception {
    Http2Headers response = new DefaultHttp2Headers(false).status("200");
    response.add("grpc-status", "0");
    Http2Headers headers = roundTrip(3, response);
    assertEquals("200", headers.status().toString());
    assertEquals("0", headers.get("grpc-status").toString());
    assertNull(headers.method());
  }

  private static List<String> strings(List<? extends CharSequence> values) {
    List<String> out = new ArrayList<>();
    values.forEach(v -> out.add(v.toString()));
    return out;
  }
}
