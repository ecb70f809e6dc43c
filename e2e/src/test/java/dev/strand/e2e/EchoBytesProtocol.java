package dev.strand.e2e;

import dev.strand.netty.stream.ServerProtocol;
import dev.strand.netty.stream.ServerStream;
import dev.strand.netty.stream.ServerStreamListener;
import dev.strand.server.ServerSettings;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A second protocol on the server stream seam, for ServerStreamSeamTest: it claims requests of its
 * own content type and echoes their bytes back, then ends with a trailer counting them. Bytes go
 * back to the client's window only as the echo leaves, so a large body tests the seam's flow
 * control. Registered for every e2e server through META-INF/services; it claims nothing else, so
 * gRPC does not notice it.
 */
public final class EchoBytesProtocol implements ServerProtocol {
  static final String CONTENT_TYPE = "application/x-strand-echo";

  /** What the protocol saw, for the test: "open", "reset N", "closed". */
  static final BlockingQueue<String> EVENTS = new LinkedBlockingQueue<>();

  /** Found with ServiceLoader. */
  public static final class Factory implements ServerProtocol.Factory {
    @Override
    public ServerProtocol create(ServerSettings settings) {
      return new EchoBytesProtocol();
    }
  }

  @Override
  public boolean accepts(Http2Headers requestHeaders) {
    CharSequence type = requestHeaders.get("content-type");
    return type != null && CONTENT_TYPE.contentEquals(type);
  }

  @Override
  public void open(ServerStream stream, Http2Headers requestHeaders, boolean endOfStream) {
    EVENTS.add("open");
    stream.writeHeaders(
        new DefaultHttp2Headers().status("200").add("content-type", CONTENT_TYPE), false);
    Echo echo = new Echo(stream);
    stream.listen(echo);
    if (endOfStream) {
      echo.onData(stream.connection().alloc().buffer(0), true);
    }
  }

  private static final class Echo implements ServerStreamListener {
    private final ServerStream stream;
    private long echoed;

    Echo(ServerStream stream) {
      this.stream = stream;
    }

    @Override
    public void onData(ByteBuf data, boolean endOfStream) {
      int bytes = data.readableBytes();
      echoed += bytes;
      if (bytes > 0) {
        stream.writeData(data, (sent, success) -> stream.returnBytes(sent));
      } else {
        data.release();
      }
      if (endOfStream) {
        stream.writeHeaders(
            new DefaultHttp2Headers().add("x-echoed-bytes", Long.toString(echoed)), true);
      }
      stream.connection().flush();
    }

    @Override
    public void onReset(long errorCode) {
      EVENTS.add("reset " + errorCode);
    }

    @Override
    public void onClosed() {
      EVENTS.add("closed");
    }
  }
}
