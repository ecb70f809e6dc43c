package io.grpc.netty.shaded.io.grpc.netty;

import io.grpc.Metadata;
import io.grpc.internal.ReadableBuffer;
import io.grpc.internal.WritableBufferAllocator;
import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.buffer.ByteBufAllocator;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Headers;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2HeadersDecoder;
import io.grpc.netty.shaded.io.netty.util.AsciiString;

/**
 * grpc-java's own transport pieces (package-private in grpc-netty-shaded), reached from their
 * package so the microbenchmarks compare Strand with what grpc-java really runs. Benchmark use
 * only: this class lives in the bench module, on the classpath, never in a shipped jar.
 */
public final class GrpcJavaInternals {
  private GrpcJavaInternals() {}

  /** What grpc-java's Netty transport frames outbound messages into. */
  public static WritableBufferAllocator writableBufferAllocator(ByteBufAllocator alloc) {
    return new NettyWritableBufferAllocator(alloc);
  }

  /** How grpc-java's Netty transport hands received DATA to its deframer. */
  public static ReadableBuffer readableBuffer(ByteBuf buf) {
    return new NettyReadableBuffer(buf);
  }

  /** grpc-java's server-side HPACK decoder, which builds its own header representation. */
  public static Http2HeadersDecoder serverHeadersDecoder() {
    return new GrpcHttp2HeadersUtils.GrpcHttp2ServerHeadersDecoder(8192);
  }

  /** The request header block grpc-java's client sends. */
  public static Http2Headers clientHeaders(
      Metadata metadata,
      AsciiString scheme,
      AsciiString path,
      AsciiString authority,
      AsciiString method,
      AsciiString userAgent) {
    return Utils.convertClientHeaders(metadata, scheme, path, authority, method, userAgent);
  }

  /** What grpc-java's server makes of a received request header block. */
  public static Metadata serverReceivedHeaders(Http2Headers headers) {
    return Utils.convertHeaders(headers);
  }

  /** The response header block grpc-java's server sends. */
  public static Http2Headers serverHeaders(Metadata metadata) {
    return Utils.convertServerHeaders(metadata);
  }

  /** The trailers grpc-java's server sends. */
  public static Http2Headers trailers(Metadata trailers, boolean headersSent) {
    return Utils.convertTrailers(trailers, headersSent);
  }
}
