package dev.strand.netty;

import io.netty.handler.codec.http2.AbstractHttp2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Settings;

/**
 * Builds Strand's connection handlers through Netty's builder, which wires in Netty's HTTP/2
 * protections (RST_STREAM rate limit, empty DATA frames, queued control frames, small
 * CONTINUATION frames). Closing waits for calls in flight unless told otherwise.
 */
final class HandlerBuilder<T extends Http2ConnectionHandler>
    extends AbstractHttp2ConnectionHandlerBuilder<T, HandlerBuilder<T>> {

  /** Makes the handler once Netty has built its codec. */
  @FunctionalInterface
  interface Factory<T> {
    T create(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings);
  }

  private final Factory<T> factory;

  HandlerBuilder(boolean isServer, Http2Settings settings, Factory<T> factory) {
    this.factory = factory;
    server(isServer);
    initialSettings(settings);
    gracefulShutdownTimeoutMillis(-1);
  }

  /** Queue streams beyond the peer's MAX_CONCURRENT_STREAMS instead of failing them. */
  HandlerBuilder<T> bufferStreamsOverLimit() {
    return encoderEnforceMaxConcurrentStreams(true);
  }

  @Override
  protected T build() {
    return super.build();
  }

  @Override
  protected T build(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder,
      Http2Settings initialSettings) {
    return factory.create(decoder, encoder, initialSettings);
  }
}
