package dev.strand.netty.headers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Headers;
import org.junit.jupiter.api.Test;

/**
 * A trace context goes out as a never-indexed literal, every other header as before, and a peer's
 * decoder reads both back.
 */
public class UnindexedHeadersTest {
  private static final String TRACEPARENT =
      "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

  private final DefaultHttp2HeadersEncoder encoder =
      new DefaultHttp2HeadersEncoder(UnindexedHeaders.INSTANCE);
  private final DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false);

  @Test
  void namesTheTraceContextHeadersOnly() {
    for (String name : new String[] {"traceparent", "grpc-trace-bin", "b3", "x-b3-spanid"}) {
      assertTrue(UnindexedHeaders.INSTANCE.isSensitive(name, "v"), name);
    }
    for (String name : new String[] {":path", "tracestate", "x-tag", "te", "authorization"}) {
      assertFalse(UnindexedHeaders.INSTANCE.isSensitive(name, "v"), name);
    }
  }

  @Test
  void aRepeatedTraceContextIsSentWholeAgainWhileOtherHeadersAreIndexed() throws Exception {
    Http2Headers trace = new DefaultHttp2Headers().add("traceparent", TRACEPARENT);
    Http2Headers tag = new DefaultHttp2Headers().add("x-tag", "a-value-of-some-length");
    int traceFirst = roundTrip(trace);
    int tagFirst = roundTrip(tag);
    // Indexed, a header sent again is one byte; never indexed, it is as long as the first time.
    assertEquals(traceFirst, roundTrip(trace));
    assertEquals(1, roundTrip(tag));
    assertTrue(tagFirst > 1);
    // The first byte of a never-indexed literal with a new name (RFC 7541, 6.2.3).
    assertEquals(0x10, firstByte(trace));
  }

  /** Encodes, decodes with Netty's decoder, checks the headers came back, returns the length. */
  private int roundTrip(Http2Headers headers) throws Exception {
    ByteBuf block = Unpooled.buffer();
    try {
      encoder.encodeHeaders(1, headers, block);
      int length = block.readableBytes();
      Http2Headers decoded = decoder.decodeHeaders(1, block);
      assertEquals(headers, decoded);
      return length;
    } finally {
      block.release();
    }
  }

  private int firstByte(Http2Headers headers) throws Exception {
    ByteBuf block = Unpooled.buffer();
    try {
      new DefaultHttp2HeadersEncoder(UnindexedHeaders.INSTANCE).encodeHeaders(1, headers, block);
      return block.getUnsignedByte(0);
    } finally {
      block.release();
    }
  }
}
