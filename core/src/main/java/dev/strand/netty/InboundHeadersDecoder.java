package dev.strand.netty;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;

/**
 * Netty's HPACK decoder, filling {@link InboundHeaders} instead of its general-purpose header
 * map. Netty still checks the block's structure (pseudo-headers first, no connection-specific
 * headers, the header list size); the headers check names and values.
 */
final class InboundHeadersDecoder extends DefaultHttp2HeadersDecoder {
  private final HeaderValidator validator = new HeaderValidator();
  private int lastRegularCount = 4;

  InboundHeadersDecoder(long maxHeaderListSize) {
    super(true, false, maxHeaderListSize);
  }

  @Override
  public Http2Headers decodeHeaders(int streamId, ByteBuf headerBlock) throws Http2Exception {
    Http2Headers headers = super.decodeHeaders(streamId, headerBlock);
    lastRegularCount = ((InboundHeaders) headers).regularCount();
    return headers;
  }

  @Override
  protected Http2Headers newHeaders() {
    return new InboundHeaders(validator, lastRegularCount);
  }
}
