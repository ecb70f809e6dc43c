package dev.strand.web.grpcweb;

import dev.strand.Status;
import dev.strand.netty.headers.HeadersCodec;
import dev.strand.netty.stream.DataSent;
import dev.strand.netty.stream.ServerStream;
import dev.strand.web.seam.TranslatingStream;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;

/**
 * A gRPC-Web request as the gRPC call engine sees it: a gRPC stream. gRPC-Web was made for proxies
 * to translate (PROTOCOL-WEB.md), so this translates in-process, both ways, and the engine that
 * serves gRPC serves it unchanged, with its interceptors, deadlines, limits and compression.
 *
 * <p>Out: the response headers' content type becomes the gRPC-Web one; the trailers, which gRPC
 * sends as a last HEADERS frame, become the body's last frame ({@link TrailerFrame}), END_STREAM on
 * it; a Trailers-Only answer stays in the headers, as the spec allows. In text mode every piece of
 * the body is base64'd on its own. In: a text body is base64-decoded as it arrives, and
 * flow-control credit goes back to the client in its own (encoded) bytes.
 *
 * <p>Event loop only, like the stream it wraps.
 */
final class GrpcWebStream extends TranslatingStream {
  private static final int HEADROOM = Http2CodecUtil.FRAME_HEADER_LENGTH;

  private final AsciiString responseContentType;
  private final boolean textResponse;

  /** Null for a binary request body. */
  private final Base64Body textBody;

  /** The request body was malformed: what else comes is dropped. */
  private boolean bodyFailed;

  /** Text bodies: received bytes not yet given back, and what they decoded to. */
  private long encodedHeld;

  private long decodedHeld;

  GrpcWebStream(ServerStream http, GrpcWebContentType type, boolean textResponse) {
    super(http);
    this.textResponse = textResponse;
    this.responseContentType = new AsciiString(type.responseHeader(textResponse));
    this.textBody = type.text() ? new Base64Body() : null;
  }

  // ---- the gRPC engine's side: ServerStream ----

  @Override
  public ChannelFuture writeHeaders(Http2Headers headers, boolean endOfStream) {
    if (headers.status() != null) {
      // Response headers, or a whole Trailers-Only answer: only the content type differs.
      return http.writeHeaders(withWebContentType(headers), endOfStream);
    }
    if (endOfStream) {
      return writeLastData(TrailerFrame.of(headers, connection().alloc()));
    }
    // A header block that neither starts nor ends the response: gRPC sends none.
    return http.writeHeaders(headers, false);
  }

  private Http2Headers withWebContentType(Http2Headers grpc) {
    // A copy: the engine shares its common header blocks between calls.
    Http2Headers web = new DefaultHttp2Headers(false);
    web.add(grpc);
    web.set(HeadersCodec.CONTENT_TYPE, responseContentType);
    return web;
  }

  @Override
  public void writeData(ByteBuf data, DataSent sent) {
    if (!textResponse) {
      http.writeData(data, sent);
      return;
    }
    int framed = data.readableBytes();
    // The engine counts what it queued in its own bytes, not in base64's.
    http.writeData(
        Base64Body.encode(data, connection().alloc(), HEADROOM),
        (bytes, success) -> sent.onSent(framed, success));
  }

  @Override
  public ChannelFuture writeLastData(ByteBuf data) {
    return http.writeLastData(
        textResponse ? Base64Body.encode(data, connection().alloc(), 0) : data);
  }

  @Override
  public void returnBytes(int bytes) {
    if (textBody == null) {
      http.returnBytes(bytes);
      return;
    }
    // Base64 is 4 bytes for 3, give or take a group split across reads and padding: credit
    // goes back in proportion, and in full once all that was decoded is consumed.
    long encoded = bytes >= decodedHeld ? encodedHeld : encodedHeld * bytes / decodedHeld;
    decodedHeld = Math.max(0, decodedHeld - bytes);
    encodedHeld -= encoded;
    http.returnBytes((int) encoded);
  }

  // ---- the HTTP stream's side: ServerStreamListener ----

  @Override
  public void onData(ByteBuf data, boolean endOfStream) {
    if (call == null || bodyFailed) {
      // Nobody reads it (the request was answered at once, or its body was malformed).
      http.returnBytes(data.readableBytes());
      data.release();
      return;
    }
    if (textBody == null) {
      call.onData(data, endOfStream);
      return;
    }
    int encoded = data.readableBytes();
    ByteBuf decoded;
    try {
      decoded = textBody.decode(data, connection().alloc());
    } catch (Base64Body.MalformedException e) {
      malformed(encoded, "grpc-web-text request body: " + e.getMessage());
      return;
    } finally {
      data.release();
    }
    if (endOfStream && textBody.midGroup()) {
      decoded.release();
      malformed(encoded, "grpc-web-text request body ends inside a base64 group (truncated)");
      return;
    }
    encodedHeld += encoded;
    decodedHeld += decoded.readableBytes();
    call.onData(decoded, endOfStream);
  }

  private void malformed(int encoded, String description) {
    bodyFailed = true;
    http.returnBytes(encoded);
    call.onMalformed(Status.INTERNAL.withDescription(description));
  }
}
