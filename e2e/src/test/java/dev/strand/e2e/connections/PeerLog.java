package dev.strand.e2e.connections;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What a {@link RawPeer} received. Only counts and small records are kept, so a flood of replies
 * cannot make the test itself the memory hog. All methods are thread-safe.
 */
final class PeerLog {
  record GoAway(int lastStreamId, long errorCode, String debug, long nanos) {
    boolean is(Http2Error error) {
      return errorCode == error.code();
    }

    @Override
    public String toString() {
      Http2Error e = Http2Error.valueOf(errorCode);
      return "GOAWAY(last="
          + lastStreamId
          + ", "
          + (e == null ? errorCode : e)
          + ", '"
          + debug
          + "')";
    }
  }

  record Ping(long data, long nanos) {}

  private final List<GoAway> goAways = new ArrayList<>();
  private final List<Ping> pings = new ArrayList<>();
  private final Map<Long, Integer> resetsByCode = new HashMap<>();
  private final Map<Integer, List<Http2Headers>> headers = new HashMap<>();
  private final Map<Integer, Long> dataBytes = new HashMap<>();
  private int dataFrames;
  private int settings;
  private int settingsAcks;
  private int pingAcks;
  private int bdpPingsSent;
  private boolean closed;
  private Throwable failure;

  synchronized List<GoAway> goAways() {
    return List.copyOf(goAways);
  }

  synchronized List<Ping> pings() {
    return List.copyOf(pings);
  }

  synchronized int resets() {
    return resetsByCode.values().stream().mapToInt(Integer::intValue).sum();
  }

  synchronized List<Http2Headers> headers(int streamId) {
    return List.copyOf(headers.getOrDefault(streamId, List.of()));
  }

  synchronized int streamsAnswered() {
    return headers.size();
  }

  synchronized long dataBytes(int streamId) {
    return dataBytes.getOrDefault(streamId, 0L);
  }

  synchronized int dataFrames() {
    return dataFrames;
  }

  synchronized int settingsFrames() {
    return settings;
  }

  synchronized int settingsAcks() {
    return settingsAcks;
  }

  synchronized int pingAcks() {
    return pingAcks;
  }

  /** The PINGs this peer sent itself, as grpc-go's BDP estimator does on DATA. */
  synchronized int bdpPingsSent() {
    return bdpPingsSent;
  }

  synchronized boolean closed() {
    return closed;
  }

  /** Waits until {@code condition} holds; false if it did not within {@code timeout}. */
  synchronized boolean await(Supplier<Boolean> condition, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.get()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }

  /** Waits for the server's first SETTINGS (which this peer acks at once). */
  boolean awaitSettings(Duration timeout) throws InterruptedException {
    return await(() -> settings > 0, timeout);
  }

  /** The first GOAWAY, waiting for it; null if none came (the connection may just close). */
  GoAway awaitGoAway(Duration timeout) throws InterruptedException {
    await(() -> !goAways.isEmpty() || closed, timeout);
    synchronized (this) {
      return goAways.isEmpty() ? null : goAways.get(0);
    }
  }

  @Override
  public synchronized String toString() {
    return "PeerLog{goAways="
        + goAways
        + ", resets="
        + resetsByCode
        + ", streamsAnswered="
        + headers.size()
        + ", dataFrames="
        + dataFrames
        + ", pings="
        + pings.size()
        + ", settings="
        + settings
        + ", closed="
        + closed
        + (failure == null ? "" : ", failure=" + failure)
        + "}";
  }

  synchronized void onClosed() {
    closed = true;
    notifyAll();
  }

  synchronized void onFailure(Throwable t) {
    if (failure == null) {
      failure = t;
    }
    notifyAll();
  }

  Listener listener(DefaultHttp2FrameWriter writer, RawPeer.Options options) {
    return new Listener(writer, options);
  }

  /** Records frames, on the peer's event loop, and does what the options make it do. */
  final class Listener extends Http2FrameAdapter {
    /** grpc-go's BDP ping payload, {2, 4, 16, 16, 9, 14, 7, 7}. */
    static final long BDP_PING = 0x02041010090e0707L;

    private final DefaultHttp2FrameWriter writer;
    private final boolean ackSettings;
    private final boolean answerPings;
    private final boolean returnWindow;
    private final boolean bdpPings;
    private boolean bdpPingOutstanding;

    Listener(DefaultHttp2FrameWriter writer, RawPeer.Options options) {
      this.writer = writer;
      this.ackSettings = options.preface();
      this.answerPings = options.answerPings();
      this.returnWindow = options.returnWindow();
      this.bdpPings = options.bdpPings();
    }

    @Override
    public int onDataRead(
        ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
      int consumed = data.readableBytes() + padding;
      synchronized (PeerLog.this) {
        dataFrames++;
        dataBytes.merge(streamId, (long) data.readableBytes(), Long::sum);
        PeerLog.this.notifyAll();
      }
      if (returnWindow && consumed > 0) {
        writer.writeWindowUpdate(ctx, 0, consumed, ctx.newPromise());
        if (!endOfStream) {
          writer.writeWindowUpdate(ctx, streamId, consumed, ctx.newPromise());
        }
      }
      if (bdpPings && !bdpPingOutstanding) {
        // grpc-go measures the bandwidth-delay product with a PING, behind a WINDOW_UPDATE, on
        // the DATA that arrives while no such PING is unanswered (on a fresh connection, the
        // first DATA).
        bdpPingOutstanding = true;
        synchronized (PeerLog.this) {
          bdpPingsSent++;
        }
        writer.writePing(ctx, false, BDP_PING, ctx.newPromise());
      }
      ctx.flush();
      return consumed;
    }

    @Override
    public void onHeadersRead(
        ChannelHandlerContext ctx, int streamId, Http2Headers h, int padding, boolean endStream) {
      synchronized (PeerLog.this) {
        List<Http2Headers> blocks = headers.computeIfAbsent(streamId, id -> new ArrayList<>());
        if (blocks.size() < 4) {
          blocks.add(h);
        }
        PeerLog.this.notifyAll();
      }
    }

    @Override
    public void onHeadersRead(
        ChannelHandlerContext ctx,
        int streamId,
        Http2Headers h,
        int streamDependency,
        short weight,
        boolean exclusive,
        int padding,
        boolean endStream) {
      onHeadersRead(ctx, streamId, h, padding, endStream);
    }

    @Override
    public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
      synchronized (PeerLog.this) {
        resetsByCode.merge(errorCode, 1, Integer::sum);
        PeerLog.this.notifyAll();
      }
    }

    @Override
    public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings s) {
      synchronized (PeerLog.this) {
        settings++;
        PeerLog.this.notifyAll();
      }
      if (ackSettings) {
        writer.writeSettingsAck(ctx, ctx.newPromise());
        ctx.flush();
      }
    }

    @Override
    public void onSettingsAckRead(ChannelHandlerContext ctx) {
      synchronized (PeerLog.this) {
        settingsAcks++;
        PeerLog.this.notifyAll();
      }
    }

    @Override
    public void onPingRead(ChannelHandlerContext ctx, long data) {
      synchronized (PeerLog.this) {
        pings.add(new Ping(data, System.nanoTime()));
        PeerLog.this.notifyAll();
      }
      if (answerPings) {
        writer.writePing(ctx, true, data, ctx.newPromise());
        ctx.flush();
      }
    }

    @Override
    public void onPingAckRead(ChannelHandlerContext ctx, long data) {
      if (data == BDP_PING) {
        bdpPingOutstanding = false;
      }
      synchronized (PeerLog.this) {
        pingAcks++;
        PeerLog.this.notifyAll();
      }
    }

    @Override
    public void onGoAwayRead(
        ChannelHandlerContext ctx, int lastStreamId, long errorCode, ByteBuf debugData) {
      synchronized (PeerLog.this) {
        goAways.add(
            new GoAway(
                lastStreamId,
                errorCode,
                debugData.toString(StandardCharsets.UTF_8),
                System.nanoTime()));
        PeerLog.this.notifyAll();
      }
    }
  }
}
