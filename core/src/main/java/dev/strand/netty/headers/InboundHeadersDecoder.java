package dev.strand.netty.headers;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;

/**
 * Netty's HPACK decoder, filling {@link InboundHeaders} instead of its general-purpose header map.
 * Netty still checks the block's structure (pseudo-headers first, no connection-specific headers,
 * the header list size); the headers check names and values.
 */
public final class InboundHeadersDecoder extends DefaultHttp2HeadersDecoder {
  private final HeaderValidator validator = new HeaderValidator();
  private int lastRegularCount = 4;

  public InboundHeadersDecoder(long maxHeaderListSize) {
    super(true, false, maxHeaderListSize);
  }

  /** The stream whose header block last failed to decode as a stream error, or -1. */
  private int failedStreamId = -1;

  @Override
  public Http2Headers decodeHeaders(int streamId, ByteBuf headerBlock) throws Http2Exception {
    Http2Headers headers;
    try {
      headers = super.decodeHeaders(streamId, headerBlock);
    } catch (Http2Exception.StreamException e) {
      failedStreamId = streamId;
      throw e;
    }
    lastRegularCount = ((InboundHeaders) headers).regularCount();
    return headers;
  }

  /** True if the last header block that failed as a stream error was this stream's. */
  public boolean failedToDecode(int streamId) {
    return streamId == failedStreamId;
  }

  @Override
  protected Http2Headers newHeaders() {
    return new InboundHeaders(validator, lastRegularCount);
  }
}
