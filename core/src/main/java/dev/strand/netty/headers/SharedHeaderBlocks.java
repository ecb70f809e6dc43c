package dev.strand.netty.headers;

import dev.strand.wire.CodecRegistry;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;

/**
 * The header blocks most calls send unchanged, built once and shared by every call and connection:
 * the response headers of a call without metadata or compression, and the OK trailers of a call
 * without trailing metadata. Netty's HPACK encoder only reads a block, so sharing one is safe;
 * nothing may add to these.
 */
public final class SharedHeaderBlocks {
  private static final Http2Headers OK_TRAILERS =
      SharedHeaders.of(
          new DefaultHttp2Headers(false).add(HeadersCodec.GRPC_STATUS, new AsciiString("0")));

  /** Rebuilt when the codec registry's accept-encoding changes (a codec was registered). */
  private static volatile ResponseHeaders responseHeaders;

  private record ResponseHeaders(String acceptEncoding, Http2Headers block) {}

  private SharedHeaderBlocks() {}

  /** :status 200, content-type and grpc-accept-encoding: a plain response's headers. */
  public static Http2Headers plainResponseHeaders() {
    String acceptEncoding = CodecRegistry.getDefault().acceptEncoding();
    ResponseHeaders cached = responseHeaders;
    if (cached == null || !cached.acceptEncoding().equals(acceptEncoding)) {
      Http2Headers block = new DefaultHttp2Headers(false).status(HeadersCodec.STATUS_200);
      block.add(HeadersCodec.CONTENT_TYPE, HeadersCodec.APPLICATION_GRPC);
      block.add(HeadersCodec.GRPC_ACCEPT_ENCODING, new AsciiString(acceptEncoding));
      cached = new ResponseHeaders(acceptEncoding, SharedHeaders.of(block));
      responseHeaders = cached;
    }
    return cached.block();
  }

  /** grpc-status 0 and nothing else: the trailers of a call that sent headers and succeeded. */
  public static Http2Headers okTrailers() {
    return OK_TRAILERS;
  }
}
