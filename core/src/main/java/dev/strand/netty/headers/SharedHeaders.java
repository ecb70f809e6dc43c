package dev.strand.netty.headers;

import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;

/**
 * A header block built once and then sent by many calls, read-only from then on (Netty's HPACK
 * encoder only reads a block). Its size as SETTINGS_MAX_HEADER_LIST_SIZE counts it, which every
 * send checks against the peer's limit, is worked out once too.
 */
public final class SharedHeaders extends DefaultHttp2Headers {
  private final long listSize;

  private SharedHeaders(Http2Headers entries) {
    super(false);
    add(entries);
    this.listSize = HeadersCodec.countListSize(this);
  }

  /** A shared, read-only copy of {@code entries}. */
  public static SharedHeaders of(Http2Headers entries) {
    return new SharedHeaders(entries);
  }

  long listSize() {
    return listSize;
  }
}
