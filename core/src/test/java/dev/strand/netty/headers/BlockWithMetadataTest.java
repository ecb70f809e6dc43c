package dev.strand.netty.headers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.Metadata;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A shared block with a call's metadata after it must be, to HPACK and to every reader, the block
 * HeadersCodec would have built for the call whole.
 */
public class BlockWithMetadataTest {
  private static final AsciiString PATH = new AsciiString("/pkg.Svc/Call");
  private static final AsciiString AUTHORITY = new AsciiString("localhost:1");
  private static final AsciiString USER_AGENT = new AsciiString("strand-test");

  private static SharedHeaders plain() {
    return SharedHeaders.of(
        HeadersCodec.requestHeaders(
            HeadersCodec.HTTP, PATH, AUTHORITY, USER_AGENT, null, null, null));
  }

  private static Http2Headers whole(Metadata metadata) {
    return HeadersCodec.requestHeaders(
        HeadersCodec.HTTP, PATH, AUTHORITY, USER_AGENT, null, null, metadata);
  }

  private static Metadata metadata() {
    return new Metadata()
        .put("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
        .add("x-tag", "a")
        .addBinary("x-id-bin", new byte[] {1, 2, 3, (byte) 0xff})
        .add("x-tag", "b");
  }

  private static List<String> entries(Http2Headers headers) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<CharSequence, CharSequence> header : headers) {
      out.add(header.getKey() + ": " + header.getValue());
    }
    return out;
  }

  @Test
  void iteratesAsTheWholeBlockDoes() {
    Metadata metadata = metadata();
    Http2Headers block = BlockWithMetadata.of(plain(), metadata);
    assertEquals(entries(whole(metadata)), entries(block));
    assertEquals(whole(metadata).size(), block.size());
    assertEquals(HeadersCodec.countListSize(whole(metadata)), HeadersCodec.listSize(block));
  }

  @Test
  void encodesToTheSameHpackBytes() throws Exception {
    Metadata metadata = metadata();
    assertEquals(hpack(whole(metadata)), hpack(BlockWithMetadata.of(plain(), metadata)));
  }

  private static String hpack(Http2Headers headers) throws Exception {
    ByteBuf out = Unpooled.buffer();
    try {
      new DefaultHttp2HeadersEncoder().encodeHeaders(3, headers, out);
      return ByteBufUtil.hexDump(out);
    } finally {
      out.release();
    }
  }

  @Test
  void answersLookupsFromBothParts() {
    Http2Headers block = BlockWithMetadata.of(plain(), metadata());
    assertEquals(PATH, block.path());
    assertEquals("POST", block.method().toString());
    assertEquals(AUTHORITY, block.authority());
    assertEquals("application/grpc", block.get("content-type").toString());
    assertEquals("a", block.get("x-tag"));
    assertEquals(List.of("a", "b"), block.getAll("x-tag"));
    assertEquals("AQID/w", block.get("x-id-bin"));
    assertTrue(block.contains("traceparent"));
    assertTrue(block.contains("x-tag", "b"));
    assertFalse(block.contains("x-tag", "c"));
    assertNull(block.get("grpc-timeout"));
    assertTrue(block.names().contains("x-tag"));
    assertTrue(block.names().contains(HeadersCodec.CONTENT_TYPE));
  }

  @Test
  void leavesReservedNamesOut() {
    Metadata metadata = new Metadata().put("content-type", "text/plain").put("x-kept", "1");
    Http2Headers block = BlockWithMetadata.of(plain(), metadata);
    assertEquals(entries(whole(metadata)), entries(block));
    assertEquals(
        List.of("application/grpc"),
        block.getAll("content-type").stream().map(CharSequence::toString).toList());
  }

  @Test
  void isReadOnly() {
    Http2Headers block = BlockWithMetadata.of(plain(), metadata());
    assertThrows(UnsupportedOperationException.class, () -> block.add("x-more", "1"));
    assertThrows(UnsupportedOperationException.class, () -> block.path("/other"));
  }
}
