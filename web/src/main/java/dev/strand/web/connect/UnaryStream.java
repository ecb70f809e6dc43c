package dev.strand.web.connect;

import dev.strand.Status;
import dev.strand.internal.wire.HttpStatusMapping;
import dev.strand.netty.headers.HeadersCodec;
import dev.strand.netty.stream.DataSent;
import dev.strand.netty.stream.ServerStream;
import dev.strand.web.seam.TranslatingStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;

/**
 * A Connect unary call (POST or GET) as the gRPC call engine sees it: a gRPC stream with one
 * message each way. Connect unary is the one web shape gRPC's framing does not fit: the message is
 * bare (no 5-byte prefix), compressed as a whole body, and the outcome is the HTTP status, with
 * trailers as {@code trailer-} headers. So this stream reshapes rather than translates piece by
 * piece:
 *
 * <ul>
 *   <li>In: the body is gathered (its window credit given back as it comes, the server's message
 *       size limit bounding what is held) and handed on at its end behind a 5-byte prefix of its
 *       own: no copy here, the engine's one copy into an array for parsing is the only one.
 *   <li>Out: the response head and the message are held, not copied, until the engine writes its
 *       trailers: only then is the status known, and with it the HTTP status, which headers to
 *       send, and whether the body is the message (its prefix skipped in place, its compression
 *       flag becoming {@code content-encoding}) or the error JSON.
 * </ul>
 *
 * <p>Holding the response costs nothing on the hot path: a unary response is one message, the
 * engine writes its trailers right behind it, and both leave in the same flush. Event loop only.
 */
final class UnaryStream extends TranslatingStream {
  /** gRPC's message prefix: a flags byte and a 4-byte length. */
  private static final int PREFIX = 5;

  private final String responseContentType;
  private final int maxRequestBytes;
  private final boolean requestCompressed;

  /** The request body so far; null once handed on (or dropped). */
  private CompositeByteBuf body;

  private boolean bodyFailed;

  /** The engine's response head and message, held until its trailers give the outcome. */
  private Http2Headers responseHead;

  private ByteBuf responseMessage;
  private DataSent responseSent;

  /** What the engine counts as queued for the held message: told back once it is written. */
  private int responseSize;

  UnaryStream(
      ServerStream http, String responseContentType, int maxRequestBytes, boolean compressed) {
    super(http);
    this.responseContentType = responseContentType;
    this.maxRequestBytes = maxRequestBytes;
    this.requestCompressed = compressed;
    this.body = http.connection().alloc().compositeBuffer(Integer.MAX_VALUE);
  }

  /** A GET's message, from its query: the whole request, not bytes from the peer's window. */
  void deliverWhole(ByteBuf message) {
    receive(message, true, false);
  }

  // ---- the gRPC engine's side ----

  @Override
  public ChannelFuture writeHeaders(Http2Headers headers, boolean endOfStream) {
    if (!endOfStream) {
      // The response head: what it becomes depends on the status, which comes last.
      responseHead = headers;
      return connection().newPromise().setSuccess();
    }
    return respond(headers);
  }

  @Override
  public void writeData(ByteBuf data, DataSent sent) {
    if (responseMessage != null) {
      // A unary method's handler sent a second message; the engine's own unary rules end the
      // call, and a Connect unary body has room for one message only.
      int size = data.readableBytes();
      data.release();
      sent.onSent(size, false);
      return;
    }
    responseMessage = data;
    responseSent = sent;
    responseSize = data.readableBytes();
  }

  @Override
  public void reset(Http2Error error) {
    releaseResponse(false);
    super.reset(error);
  }

  @Override
  public void returnBytes(int bytes) {
    // Given back as the body came: the engine's count includes the prefix made here.
  }

  /** The engine's last header block: the outcome, and the response it becomes. */
  private ChannelFuture respond(Http2Headers block) {
    Status status = HeadersCodec.statusOf(block, false);
    if (status.isOk() && responseMessage == null) {
      // A handler bug: a unary call that succeeds has exactly one response message.
      status = Status.INTERNAL.withDescription("the unary method sent no response message");
    }
    Http2Headers head = new DefaultHttp2Headers(false);
    ByteBuf out;
    if (status.isOk()) {
      head.status(HeadersCodec.STATUS_200);
      head.add(HeadersCodec.CONTENT_TYPE, responseContentType);
      ByteBuf message = responseMessage;
      responseMessage = null;
      boolean compressed = (message.getByte(message.readerIndex()) & 1) != 0;
      CharSequence encoding =
          responseHead == null ? null : responseHead.get(HeadersCodec.GRPC_ENCODING);
      if (compressed && encoding != null) {
        head.add(ConnectHeaders.CONTENT_ENCODING, encoding);
      }
      out = message.skipBytes(PREFIX);
    } else {
      releaseResponse(false);
      head.status(Integer.toString(HttpStatusMapping.httpStatusFor(status.code())));
      head.add(HeadersCodec.CONTENT_TYPE, "application/json");
      out = Unpooled.wrappedBuffer(ConnectJson.error(status, ConnectHeaders.statusDetails(block)));
    }
    ConnectHeaders.copyMetadata(responseHead, head, "");
    // Trailers, also when the engine sent them Trailers-Only (in its one block, the response head
    // it never sent): Connect has no such form.
    ConnectHeaders.copyMetadata(block, head, ConnectHeaders.TRAILER_PREFIX);
    http.writeHeaders(head, false);
    ChannelFuture written = http.writeLastData(out);
    DataSent sent = responseSent;
    if (sent != null) {
      responseSent = null;
      int size = responseSize;
      written.addListener(f -> sent.onSent(size, f.isSuccess()));
    }
    return written;
  }

  private void releaseResponse(boolean sentOk) {
    if (responseMessage != null) {
      responseMessage.release();
      responseMessage = null;
    }
    if (responseSent != null) {
      responseSent.onSent(responseSize, sentOk);
      responseSent = null;
    }
  }

  // ---- the HTTP stream's side ----

  @Override
  public void onData(ByteBuf data, boolean endOfStream) {
    receive(data, endOfStream, true);
  }

  private void receive(ByteBuf data, boolean endOfStream, boolean fromPeer) {
    if (fromPeer) {
      http.returnBytes(data.readableBytes());
    }
    if (call == null || bodyFailed || body == null) {
      data.release();
      return;
    }
    if (body.readableBytes() + (long) data.readableBytes() > maxRequestBytes) {
      data.release();
      long size = body.readableBytes() + (long) data.readableBytes();
      dropBody();
      bodyFailed = true;
      call.onMalformed(
          Status.RESOURCE_EXHAUSTED.withDescription(
              "request message of at least "
                  + size
                  + " bytes is over the limit of "
                  + maxRequestBytes));
      return;
    }
    if (data.isReadable()) {
      body.addComponent(true, data);
    } else {
      data.release();
    }
    if (!endOfStream) {
      return;
    }
    int size = body.readableBytes();
    ByteBuf prefix = connection().alloc().buffer(PREFIX);
    // The engine must not decompress an empty body (CONNECT-PROTOCOL.md): flagged plain.
    prefix.writeByte(requestCompressed && size > 0 ? 1 : 0).writeInt(size);
    CompositeByteBuf whole = body.addComponent(true, 0, prefix);
    body = null;
    call.onData(whole, true);
  }

  private void dropBody() {
    if (body != null) {
      body.release();
      body = null;
    }
  }

  @Override
  public void onReset(long errorCode) {
    dropBody();
    super.onReset(errorCode);
  }

  @Override
  public void onClosed() {
    dropBody();
    releaseResponse(false);
    super.onClosed();
  }
}
