package dev.strand.e2e.connections;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import java.util.List;

/**
 * A client that behaves on the wire as grpc-go's does ({@link RawPeer.Options#grpcGoLike}: a BDP
 * PING on DATA whenever none is unanswered, the window given back as it reads, the server's PINGs
 * answered), making the {@link InteropShapes} calls one after another on one connection. Each call
 * must end with grpc-status 0; a GOAWAY or a closed connection fails it at once.
 */
final class GrpcGoLikeClient implements AutoCloseable {
  private final RawPeer peer;

  private GrpcGoLikeClient(RawPeer peer) {
    this.peer = peer;
  }

  static GrpcGoLikeClient connect(int port, boolean tls) throws InterruptedException {
    RawPeer.Options options = RawPeer.Options.grpcGoLike();
    return new GrpcGoLikeClient(
        tls ? RawPeer.connectTls(port, options) : RawPeer.connect(port, options));
  }

  PeerLog log() {
    return peer.log();
  }

  /** large_unary, server_compressed_unary (compressed, then not), server_streaming, ping_pong. */
  void interopCases() throws InterruptedException {
    unary(InteropShapes.LARGE, false);
    unary(InteropShapes.LARGE, true);
    unary(InteropShapes.LARGE, false);
    serverStreaming(InteropShapes.STREAM_SIZES);
    pingPong(InteropShapes.PING_PONG_REQUEST_SIZES, InteropShapes.STREAM_SIZES);
  }

  void unary(int size, boolean gzip) throws InterruptedException {
    int id = peer.newStreamId();
    send(id, headers(InteropShapes.UNARY.fullName(), gzip), size + (gzip ? " gzip" : ""), true);
    awaitOk(id);
    if (!gzip) {
      assertEquals(5L + size, log().dataBytes(id), "response bytes on stream " + id);
    }
  }

  void serverStreaming(List<Integer> sizes) throws InterruptedException {
    int id = peer.newStreamId();
    String request = String.join(",", sizes.stream().map(String::valueOf).toList());
    send(id, headers(InteropShapes.SERVER_STREAM.fullName(), false), request, true);
    awaitOk(id);
    assertEquals(sizes.stream().mapToLong(n -> 5L + n).sum(), log().dataBytes(id));
  }

  /** Each request waits for the previous one's answer, as ping_pong does. */
  void pingPong(List<Integer> requestSizes, List<Integer> responseSizes)
      throws InterruptedException {
    int id = peer.newStreamId();
    Http2Headers headers = headers(InteropShapes.PING_PONG.fullName(), false);
    long expected = 0;
    for (int i = 0; i < requestSizes.size(); i++) {
      String size = String.valueOf(responseSizes.get(i));
      String request = size + " ".repeat(Math.max(0, requestSizes.get(i) - size.length()));
      if (i == 0) {
        peer.writeHeaders(id, headers, false);
      }
      send(id, null, request, false);
      expected += 5L + responseSizes.get(i);
      long want = expected;
      awaitOrFail(() -> log().dataBytes(id) >= want, "response " + i + " on stream " + id);
    }
    peer.write((w, c) -> w.writeData(c, id, Unpooled.EMPTY_BUFFER, 0, true, c.newPromise()));
    awaitOk(id);
  }

  /**
   * Waits until the server has handled everything sent so far: it acks SETTINGS in order, so a
   * GOAWAY provoked by an earlier frame (the last BDP PING, say) has been written by then.
   */
  void sync() throws InterruptedException {
    int acks = log().settingsAcks();
    peer.write((w, c) -> w.writeSettings(c, new Http2Settings(), c.newPromise()));
    awaitOrFail(() -> log().settingsAcks() > acks, "SETTINGS ack");
  }

  private void send(int id, Http2Headers headers, String message, boolean endStream) {
    peer.write(
        (w, c) -> {
          if (headers != null) {
            w.writeHeaders(c, id, headers, 0, false, c.newPromise());
          }
          w.writeData(
              c, id, RawPeer.grpcMessage(message.getBytes(US_ASCII)), 0, endStream, c.newPromise());
        });
  }

  private static Http2Headers headers(String fullMethodName, boolean acceptGzip) {
    Http2Headers h = RawPeer.request(fullMethodName).add("user-agent", "grpc-go/1.33.0");
    return acceptGzip ? h.add("grpc-accept-encoding", "gzip") : h;
  }

  private void awaitOk(int id) throws InterruptedException {
    awaitOrFail(() -> status(id) != null, "the end of stream " + id);
    assertEquals("0", status(id), "stream " + id + ": " + log().headers(id));
  }

  /** The grpc-status of a stream's last header block, or null before its trailers. */
  private String status(int id) {
    List<Http2Headers> blocks = log().headers(id);
    CharSequence status =
        blocks.isEmpty() ? null : blocks.get(blocks.size() - 1).get("grpc-status");
    return status == null ? null : status.toString();
  }

  private void awaitOrFail(java.util.function.Supplier<Boolean> done, String what)
      throws InterruptedException {
    PeerLog log = log();
    log.await(() -> done.get() || !log.goAways().isEmpty() || log.closed(), RawPeer.WAIT);
    assertTrue(log.goAways().isEmpty(), "GOAWAY while waiting for " + what + ": " + log);
    assertTrue(done.get(), "timed out (" + RawPeer.WAIT + ") waiting for " + what + ": " + log);
  }

  @Override
  public void close() {
    peer.close();
  }
}
