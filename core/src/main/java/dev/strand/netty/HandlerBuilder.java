package dev.strand.netty;

import io.netty.handler.codec.http2.AbstractHttp2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.DefaultHttp2Connection;
import io.netty.handler.codec.http2.DefaultHttp2RemoteFlowController;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.UniformStreamByteDistributor;

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
  private final boolean isServer;

  HandlerBuilder(boolean isServer, Http2Settings settings, Factory<T> factory) {
    this.factory = factory;
    this.isServer = isServer;
    connection(newConnection(isServer));
    initialSettings(settings);
    gracefulShutdownTimeoutMillis(-1);
  }

  /**
   * gRPC has no stream priorities, so outbound bytes are shared out uniformly: cheaper per
   * write than Netty's default weighted fair queue, which keeps a priority tree per stream.
   */
  private static Http2Connection newConnection(boolean isServer) {
    Http2Connection connection = new DefaultHttp2Connection(isServer);
    connection.remote().flowController(new DefaultHttp2RemoteFlowController(connection,
        new UniformStreamByteDistributor(connection)));
    return connection;
  }

  /** Netty's builder learns the side from server(), which it forbids once connection() is set. */
  @Override
  protected boolean isServer() {
    return isServer;
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
