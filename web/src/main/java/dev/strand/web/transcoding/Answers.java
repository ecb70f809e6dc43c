package dev.strand.web.transcoding;

import dev.strand.netty.headers.HeadersCodec;
import dev.strand.netty.stream.ServerStream;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;

/**
 * Answers to transcoded requests that need no call: refusals (an HTTP error, a JSON status body)
 * and the OpenAPI document.
 */
final class Answers {
  private Answers() {}

  /** {@code allow}: the Allow header of a 405, or null. */
  static void error(ServerStream stream, int httpStatus, byte[] jsonBody, String allow) {
    answer(stream, httpStatus, "application/json", jsonBody, allow);
  }

  /** A document the protocol serves itself (OpenAPI). */
  static void document(ServerStream stream, String contentType, byte[] body) {
    answer(stream, 200, contentType, body, null);
  }

  private static void answer(
      ServerStream stream, int httpStatus, String contentType, byte[] jsonBody, String allow) {
    Http2Headers headers = new DefaultHttp2Headers().status(Integer.toString(httpStatus));
    headers.add(HeadersCodec.CONTENT_TYPE, contentType);
    if (allow != null) {
      headers.add("allow", allow);
    }
    stream.writeHeaders(headers, false);
    ByteBuf body = stream.connection().alloc().buffer(jsonBody.length);
    body.writeBytes(jsonBody);
    // The reset, if any, only once the body is out: a reset drops what the stream still queues.
    stream.writeLastData(body).addListener(written -> end(stream));
    stream.connection().flush();
  }

  /** The answer is all there is: a client still sending is told to stop. */
  private static void end(ServerStream stream) {
    if (!stream.remoteClosed()) {
      stream.reset(Http2Error.NO_ERROR);
    }
    stream.connection().flush();
  }
}
