package dev.strand.web.connect;

import dev.strand.Status;
import dev.strand.internal.wire.HttpStatusMapping;
import dev.strand.netty.headers.HeadersCodec;
import dev.strand.netty.stream.ServerStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Answers to Connect requests refused before a call starts. */
final class ConnectAnswers {
  private ConnectAnswers() {}

  /**
   * A Connect error: for a unary request its HTTP status and the error JSON; for a streaming one
   * HTTP 200 and an end-of-stream message holding it, as the spec has every streaming response.
   */
  static void error(
      ServerStream stream, ConnectContentType type, Status status, Http2Headers extra) {
    Http2Headers headers = new DefaultHttp2Headers(false);
    ByteBuf body;
    if (type.streaming()) {
      headers.status(HeadersCodec.STATUS_200).add(HeadersCodec.CONTENT_TYPE, type.header());
      body =
          ConnectJson.envelope(
              0x02, ConnectJson.endStream(status, null, Map.of()), stream.connection().alloc());
    } else {
      headers.status(Integer.toString(HttpStatusMapping.httpStatusFor(status.code())));
      headers.add(HeadersCodec.CONTENT_TYPE, "application/json");
      body = Unpooled.wrappedBuffer(ConnectJson.error(status, null));
    }
    if (extra != null) {
      headers.add(extra);
    }
    send(stream, headers, body);
  }

  /** A request that is not a Connect call Strand serves: a plain HTTP error, the reason as text. */
  static void httpError(ServerStream stream, int httpStatus, String message, Http2Headers extra) {
    Http2Headers headers = new DefaultHttp2Headers(false).status(Integer.toString(httpStatus));
    headers.add(HeadersCodec.CONTENT_TYPE, "text/plain; charset=utf-8");
    if (extra != null) {
      headers.add(extra);
    }
    send(stream, headers, Unpooled.copiedBuffer(message + "\n", StandardCharsets.UTF_8));
  }

  private static void send(ServerStream stream, Http2Headers headers, ByteBuf body) {
    stream.writeHeaders(headers, false);
    // A client still sending is told to stop, only once the answer is out: a reset drops what the
    // stream still queues.
    stream
        .writeLastData(body)
        .addListener(
            written -> {
              if (!stream.remoteClosed()) {
                stream.reset(Http2Error.NO_ERROR);
              }
              stream.connection().flush();
            });
    stream.connection().flush();
  }
}
