package dev.strand.web.grpcweb;

import dev.strand.Status;
import dev.strand.netty.headers.HeadersCodec;
import dev.strand.netty.stream.ServerStream;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;

/** Answers to gRPC-Web requests refused before a call starts. */
final class WebAnswers {
  static final Http2Headers ALLOW_POST = new DefaultHttp2Headers().add("allow", "POST");

  private WebAnswers() {}

  /** A call that fails before it begins: Trailers-Only, the status in the headers. */
  static void trailersOnly(ServerStream stream, String contentType, Status status) {
    Http2Headers headers = new DefaultHttp2Headers().status(HeadersCodec.STATUS_200);
    headers.add(HeadersCodec.CONTENT_TYPE, new AsciiString(contentType));
    HeadersCodec.addStatus(headers, status);
    stream.writeHeaders(headers, true);
    end(stream);
  }

  /**
   * A request gRPC-Web cannot serve at all: an HTTP error, the reason in the body for people and in
   * grpc-status / grpc-message for clients that read those first (as gRPC's own 405 and 415 do).
   */
  static void httpError(ServerStream stream, int httpStatus, String message, Http2Headers extra) {
    Http2Headers headers = new DefaultHttp2Headers().status(Integer.toString(httpStatus));
    headers.add(HeadersCodec.CONTENT_TYPE, "text/plain; charset=utf-8");
    HeadersCodec.addStatus(headers, Status.INTERNAL.withDescription(message));
    if (extra != null) {
      headers.add(extra);
    }
    stream.writeHeaders(headers, false);
    ByteBuf body = stream.connection().alloc().buffer();
    body.writeCharSequence(message + "\n", StandardCharsets.UTF_8);
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
