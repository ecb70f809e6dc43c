package dev.strand.netty.http2;

import dev.strand.netty.headers.InboundHeaders;
import dev.strand.netty.headers.InboundHeadersDecoder;
import io.netty.handler.codec.http2.AbstractHttp2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.DefaultHttp2Connection;
import io.netty.handler.codec.http2.DefaultHttp2ConnectionDecoder;
import io.netty.handler.codec.http2.DefaultHttp2ConnectionEncoder;
import io.netty.handler.codec.http2.DefaultHttp2FrameReader;
import io.netty.handler.codec.http2.DefaultHttp2RemoteFlowController;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2FrameReader;
import io.netty.handler.codec.http2.Http2PromisedRequestVerifier;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.StreamBufferingEncoder;
import io.netty.handler.codec.http2.UniformStreamByteDistributor;

/**
 * Builds Strand's connection handlers. Strand assembles the codec itself so that received header
 * blocks decode into {@link InboundHeaders}; Netty's builder then adds its inbound protections
 * (RST_STREAM flood, empty DATA frames), and the frame reader limits small CONTINUATION frames. The
 * two outbound protections Netty's builder would add to a codec it built are Strand's own ({@link
 * ControlFrameLimitEncoder}, {@link ResetFrameLimitEncoder}). Closing waits for calls in flight
 * unless told otherwise.
 */
public final class HandlerBuilder<T extends Http2ConnectionHandler>
    extends AbstractHttp2ConnectionHandlerBuilder<T, HandlerBuilder<T>> {

  /** Makes the handler once Netty has built its codec. */
  @FunctionalInterface
  public interface Factory<T> {
    T create(
        Http2ConnectionDecoder decoder,
        Http2ConnectionEncoder encoder,
        Http2Settings settings,
        InboundHeadersDecoder headersDecoder);
  }

  /** Netty's own defaults for the builder's protections. */
  private static final int MAX_QUEUED_CONTROL_FRAMES = 10_000;

  private static final int MAX_SMALL_CONTINUATION_FRAMES = 16;
  private static final int MAX_SERVER_RESETS_PER_WINDOW = 200;
  private static final int RESET_WINDOW_SECONDS = 30;

  private final Factory<T> factory;
  private final boolean isServer;
  private boolean bufferStreamsOverLimit;
  private InboundHeadersDecoder headersDecoder;

  public HandlerBuilder(boolean isServer, Http2Settings settings, Factory<T> factory) {
    this.factory = factory;
    this.isServer = isServer;
    initialSettings(settings);
    gracefulShutdownTimeoutMillis(-1);
    if (isServer) {
      // The server's handler keeps its own RST budget, which completed calls replenish
      // (internal.server.ResetBudget): Netty's fixed window would cut off a client that hedges.
      decoderEnforceMaxRstFramesPerWindow(0, 0);
    }
  }

  /**
   * gRPC has no stream priorities, so outbound bytes are shared out uniformly: cheaper per write
   * than Netty's default weighted fair queue, which keeps a priority tree per stream.
   */
  private static Http2Connection newConnection(boolean isServer) {
    Http2Connection connection = new DefaultHttp2Connection(isServer);
    connection
        .remote()
        .flowController(
            new DefaultHttp2RemoteFlowController(
                connection, new UniformStreamByteDistributor(connection)));
    return connection;
  }

  /** Netty's builder learns the side from server(), which it forbids once connection() is set. */
  @Override
  protected boolean isServer() {
    return isServer;
  }

  /** Queue streams beyond the peer's MAX_CONCURRENT_STREAMS instead of failing them. */
  public HandlerBuilder<T> bufferStreamsOverLimit() {
    bufferStreamsOverLimit = true;
    return this;
  }

  @Override
  public T build() {
    Http2Connection connection = newConnection(isServer);
    Long maxHeaderListSize = initialSettings().maxHeaderListSize();
    headersDecoder =
        new InboundHeadersDecoder(
            maxHeaderListSize == null
                ? Http2CodecUtil.DEFAULT_HEADER_LIST_SIZE
                : maxHeaderListSize);
    Http2FrameReader reader =
        new DefaultHttp2FrameReader(headersDecoder, MAX_SMALL_CONTINUATION_FRAMES);
    Http2ConnectionEncoder encoder =
        new DefaultHttp2ConnectionEncoder(connection, new FrameWriter());
    encoder = new ControlFrameLimitEncoder(encoder, MAX_QUEUED_CONTROL_FRAMES);
    if (isServer) {
      encoder =
          new ResetFrameLimitEncoder(encoder, MAX_SERVER_RESETS_PER_WINDOW, RESET_WINDOW_SECONDS);
    }
    if (bufferStreamsOverLimit) {
      encoder = new StreamBufferingEncoder(encoder);
    }
    Http2ConnectionDecoder decoder =
        new DefaultHttp2ConnectionDecoder(
            connection,
            encoder,
            reader,
            Http2PromisedRequestVerifier.ALWAYS_VERIFY,
            true,
            true,
            true);
    codec(decoder, encoder);
    return super.build();
  }

  @Override
  protected T build(
      Http2ConnectionDecoder decoder,
      Http2ConnectionEncoder encoder,
      Http2Settings initialSettings) {
    return factory.create(decoder, encoder, initialSettings, headersDecoder);
  }
}
